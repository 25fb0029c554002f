from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from dashboards.api import views
from dashboards.api.lookup import ControlLookupView

app_name = "dashboards-api"

router = SimpleRouter()
router.register("series", views.SeriesViewSet, basename="series")
router.register("summaries", views.MonthlySummaryViewSet, basename="summary")

urlpatterns = [
    path("controls/lookup/", ControlLookupView.as_view(), name="control-lookup"),
    *router.urls,
]

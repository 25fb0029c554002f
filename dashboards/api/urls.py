from __future__ import annotations

from rest_framework.routers import SimpleRouter

from dashboards.api import views

app_name = "dashboards-api"

router = SimpleRouter()
router.register("series", views.SeriesViewSet, basename="series")
router.register("summaries", views.MonthlySummaryViewSet, basename="summary")

urlpatterns = router.urls

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from exports.api import views

app_name = "exports-api"

router = SimpleRouter()
router.register("imports", views.ImportBatchViewSet, basename="import-batch")

urlpatterns = router.urls

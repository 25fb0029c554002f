from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from licensing.api import views

app_name = "licensing-api"

router = SimpleRouter()
router.register("elements", views.ElementViewSet, basename="element")
router.register("hs-codes", views.HsCodeViewSet, basename="hs-code")
router.register("control-measures", views.ControlMeasureViewSet, basename="control-measure")
router.register("exporters", views.ExporterViewSet, basename="exporter")
router.register("importers", views.ImporterViewSet, basename="importer")
router.register("supply-links", views.SupplyLinkViewSet, basename="supply-link")
router.register("automakers", views.AutomakerViewSet, basename="automaker")
router.register("licences", views.LicenceViewSet, basename="licence")
router.register("approvals", views.ApprovalViewSet, basename="approval")

urlpatterns = [
    path("what-if/", views.WhatIfView.as_view(), name="what-if"),
    *router.urls,
]

from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from licensing.api import register, views

app_name = "licensing-api"

router = SimpleRouter()
router.register("elements", views.ElementViewSet, basename="element")
router.register("hs-codes", views.HsCodeViewSet, basename="hs-code")
router.register("control-measures", register.ControlMeasureViewSet, basename="control-measure")
router.register("control-items", register.ControlItemViewSet, basename="control-item")
router.register("entity-lists", register.EntityListEntryViewSet, basename="entity-list-entry")
router.register("exporters", views.ExporterViewSet, basename="exporter")
router.register("importers", views.ImporterViewSet, basename="importer")
router.register("supply-links", views.SupplyLinkViewSet, basename="supply-link")
router.register("automakers", views.AutomakerViewSet, basename="automaker")
router.register("licences", views.LicenceViewSet, basename="licence")
router.register("approvals", views.ApprovalViewSet, basename="approval")

urlpatterns = [
    path("what-if/", views.WhatIfView.as_view(), name="what-if"),
    path("screenings/", register.ScreeningView.as_view(), name="screening"),
    path("controls/de-minimis/", register.DeMinimisView.as_view(), name="de-minimis"),
    *router.urls,
]

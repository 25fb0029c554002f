from __future__ import annotations

from django.urls import path

from licensing.views import (
    alerts,
    approvals,
    automakers,
    exporters,
    licences,
    measures,
    register,
    search,
    supply,
    what_if,
)

app_name = "licensing"
urlpatterns = [
    path("search/", search.SearchView.as_view(), name="search"),
    path("search/suggest/", search.SuggestView.as_view(), name="search-suggest"),
    path("automakers/", automakers.AutomakerListView.as_view(), name="automaker-list"),
    path("automakers/<int:pk>/", automakers.AutomakerDetailView.as_view(), name="automaker-detail"),
    path(
        "automakers/<int:pk>/timeline/",
        automakers.AutomakerTimelineView.as_view(),
        name="automaker-timeline",
    ),
    path("what-if/", what_if.WhatIfView.as_view(), name="what-if"),
    path("exporters/", exporters.ExporterListView.as_view(), name="exporter-list"),
    path("exporters/<int:pk>/", exporters.ExporterDetailView.as_view(), name="exporter-detail"),
    path("importers/", supply.ImporterListView.as_view(), name="importer-list"),
    path("importers/new/", supply.ImporterCreateView.as_view(), name="importer-create"),
    path("importers/<int:pk>/", supply.ImporterDetailView.as_view(), name="importer-detail"),
    path("importers/<int:pk>/edit/", supply.ImporterUpdateView.as_view(), name="importer-update"),
    path("supply-links/new/", supply.SupplyLinkCreateView.as_view(), name="supplylink-create"),
    path(
        "supply-links/<int:pk>/edit/",
        supply.SupplyLinkUpdateView.as_view(),
        name="supplylink-update",
    ),
    path("licences/", licences.LicenceListView.as_view(), name="licence-list"),
    path("licences/new/", licences.LicenceCreateView.as_view(), name="licence-create"),
    path("licences/<int:pk>/", licences.LicenceDetailView.as_view(), name="licence-detail"),
    path("licences/<int:pk>/edit/", licences.LicenceUpdateView.as_view(), name="licence-update"),
    path("approvals/", approvals.ApprovalListView.as_view(), name="approval-list"),
    path("approvals/new/", approvals.ApprovalCreateView.as_view(), name="approval-create"),
    path("approvals/<int:pk>/", approvals.ApprovalDetailView.as_view(), name="approval-detail"),
    path(
        "approvals/<int:pk>/edit/", approvals.ApprovalUpdateView.as_view(), name="approval-update"
    ),
    path(
        "approvals/<int:pk>/evidence/",
        approvals.ApprovalEvidenceView.as_view(),
        name="approval-evidence",
    ),
    path(
        "control-measures/",
        measures.ControlMeasureListView.as_view(),
        name="controlmeasure-list",
    ),
    path(
        "control-measures/new/",
        register.ControlMeasureCreateView.as_view(),
        name="controlmeasure-create",
    ),
    path(
        "control-measures/<int:pk>/",
        register.ControlMeasureDetailView.as_view(),
        name="controlmeasure-detail",
    ),
    path(
        "control-measures/<int:pk>/edit/",
        register.ControlMeasureUpdateView.as_view(),
        name="controlmeasure-update",
    ),
    path(
        "control-measures/<int:measure>/items/new/",
        register.ControlItemCreateView.as_view(),
        name="controlitem-create",
    ),
    path(
        "control-items/<int:pk>/edit/",
        register.ControlItemUpdateView.as_view(),
        name="controlitem-update",
    ),
    path("controls/de-minimis/", register.DeMinimisView.as_view(), name="de-minimis"),
    path("entity-lists/", register.EntityListView.as_view(), name="entity-list"),
    path("screening/", register.ScreeningListView.as_view(), name="screening-list"),
    path(
        "screening/<int:pk>/review/",
        register.ScreeningReviewView.as_view(),
        name="screening-review",
    ),
    path("alerts/", alerts.AlertListView.as_view(), name="alert-list"),
    path(
        "alerts/<int:pk>/acknowledge/",
        alerts.AlertAcknowledgeView.as_view(),
        name="alert-acknowledge",
    ),
    path(
        "alerts/subscription/",
        alerts.AlertSubscriptionView.as_view(),
        name="alert-subscription",
    ),
]

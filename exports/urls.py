from __future__ import annotations

from django.urls import path

from exports import preview_views, views

app_name = "exports"
urlpatterns = [
    path("", views.ImportBatchListView.as_view(), name="batch-list"),
    path("new/", views.ImportUploadView.as_view(), name="batch-create"),
    path(
        "uploads/<str:token>/progress/",
        views.ImportUploadProgressView.as_view(),
        name="upload-progress",
    ),
    path("preview/", preview_views.ImportPreviewView.as_view(), name="batch-preview"),
    path(
        "preview/import/",
        preview_views.ImportPreviewCommitView.as_view(),
        name="batch-preview-commit",
    ),
    path("<int:pk>/", views.ImportBatchDetailView.as_view(), name="batch-detail"),
    path("<int:pk>/file/", views.ImportBatchFileView.as_view(), name="batch-file"),
    path("<int:pk>/retry/", views.ImportBatchRetryView.as_view(), name="batch-retry"),
    path("<int:pk>/withdraw/", views.ImportBatchWithdrawView.as_view(), name="batch-withdraw"),
    path("<int:pk>/errors.csv", views.ImportBatchErrorsView.as_view(), name="batch-errors"),
    path("figures/<int:pk>/", views.FigureHistoryView.as_view(), name="figure-history"),
]

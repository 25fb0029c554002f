from __future__ import annotations

from django.urls import path

from exports import views

app_name = "exports"
urlpatterns = [
    path("", views.ImportBatchListView.as_view(), name="batch-list"),
    path("new/", views.ImportUploadView.as_view(), name="batch-create"),
    path("<int:pk>/", views.ImportBatchDetailView.as_view(), name="batch-detail"),
    path("<int:pk>/file/", views.ImportBatchFileView.as_view(), name="batch-file"),
    path("<int:pk>/retry/", views.ImportBatchRetryView.as_view(), name="batch-retry"),
    path("<int:pk>/errors.csv", views.ImportBatchErrorsView.as_view(), name="batch-errors"),
    path("figures/<int:pk>/", views.FigureHistoryView.as_view(), name="figure-history"),
]

from __future__ import annotations

from django.urls import path

from dashboards import views

app_name = "dashboards"
urlpatterns = [
    # config/urls.py routes "/" to views.home, which shows this view to those who may see it.
    path("", views.OverviewView.as_view(), name="overview"),
    path("charts/", views.ChartsView.as_view(), name="charts"),
    path("brief/", views.BriefView.as_view(), name="brief"),
    path("controls/lookup/", views.ControlLookupView.as_view(), name="control-lookup"),
    path("elements/<str:symbol>/", views.ElementDetailView.as_view(), name="element-detail"),
    path("codes/<str:code>/", views.CodeDetailView.as_view(), name="code-detail"),
]

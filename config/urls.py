from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.health import healthz
from dashboards.views import home

# A database outage answers 503 wherever it is raised (core.middleware).
handler500 = "core.middleware.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The overview for those who may see it (every role), the automakers for anyone else.
    path("", home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", include("core.urls")),
    # One log-in page, the throttled one, for the admin too.
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(pattern_name="login", query_string=True)),
    ),
    path("admin/", admin.site.urls),
    path("", include("dashboards.urls")),
    path("", include("licensing.urls")),
    path("api/v1/", include("licensing.api.urls")),
    path("imports/", include("exports.urls")),
    path("api/v1/", include("exports.api.urls")),
    path("api/v1/", include("dashboards.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script from a URL: no inline script for CSP.
    # Our template adds a bar with the way back to the app.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="core/api_docs.html"),
        name="api-docs",
    ),
]

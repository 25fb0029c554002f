from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from dashboards.views import home

urlpatterns = [
    # The overview for those who may see it (every role), the automakers for anyone else.
    path("", home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("dashboards.urls")),
    path("", include("licensing.urls")),
    path("api/v1/", include("licensing.api.urls")),
    path("imports/", include("exports.urls")),
    path("api/v1/", include("exports.api.urls")),
    path("api/v1/", include("dashboards.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]

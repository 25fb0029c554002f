"""The user's own pages, under /profile/."""

from __future__ import annotations

from django.urls import path

from core import profile

app_name = "profile"
urlpatterns = [
    path("", profile.ProfileView.as_view(), name="page"),
    path("email/", profile.EmailUpdateView.as_view(), name="email"),
    path("password/", profile.PasswordChangeView.as_view(), name="password"),
    path("token/", profile.TokenCreateView.as_view(), name="token-create"),
    path("token/revoke/", profile.TokenRevokeView.as_view(), name="token-revoke"),
]

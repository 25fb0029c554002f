"""A user's own things: their e-mail, password and personal API token, and what the apps add
(the alert digest).

The page belongs to core, which imports no app: the apps contribute their parts as *panels*,
named in settings.PROFILE_PANELS (as context processors are), each a function of the request
that returns a Panel, or None where the user has nothing of that app to set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.views.generic import TemplateView, View

from core import selectors, services

# The new token's key, kept for the one page view that shows it, then forgotten.
NEW_TOKEN_KEY = "profile_new_api_token"


@dataclass
class Panel:
    """A part of the profile page an app adds: its template and that template's context."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


def profile_panels(request: HttpRequest) -> list[Panel]:
    panels = (import_string(path)(request) for path in settings.PROFILE_PANELS)
    return [panel for panel in panels if panel is not None]


def back_to(request: HttpRequest, default: str) -> str:
    """Where a form posted from another page returns: its `next`, if it is a path of this site."""
    wanted = request.POST.get("next", "")
    # Django's own check: refuses "//evil.example", "/\\evil.example", other hosts and schemes.
    safe = wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe else default


class EmailForm(forms.Form):
    email = forms.EmailField(
        label="E-mail",
        required=False,
        max_length=254,
        help_text="The alert digest is sent here. Leave it empty to get no e-mail.",
    )


class ProfileView(TemplateView):
    template_name = "core/profile.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.setdefault("email_form", EmailForm(initial={"email": user.email}))
        context.update(
            section="profile",
            token=selectors.api_token_of(user),
            # Shown once, on the page the creation leads to; a reload shows it no more.
            new_token=self.request.session.pop(NEW_TOKEN_KEY, ""),
            panels=profile_panels(self.request),
        )
        return context


class EmailUpdateView(View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        form = EmailForm(request.POST)
        if form.is_valid():
            try:
                user = services.user_email_update(
                    user=request.user, email=form.cleaned_data["email"]
                )
            except ValidationError as error:
                form.add_error("email", error)
            else:
                if user.email:
                    messages.success(request, f"Your e-mail is now {user.email}.")
                else:
                    messages.success(request, "Your e-mail was removed: no digest will be sent.")
                return redirect("profile:page")
        messages.error(request, "Your e-mail was not changed.")
        page = ProfileView()
        page.setup(request)
        context = page.get_context_data(email_form=form)
        return TemplateResponse(request, page.template_name, context, status=400)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own password change (it keeps this session signed in), on our page."""

    template_name = "core/password_change.html"
    success_url = reverse_lazy("profile:page")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Your password was changed.")
        return response


class TokenCreateView(View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        replaced = selectors.api_token_of(request.user) is not None
        token = services.api_token_create(user=request.user)
        request.session[NEW_TOKEN_KEY] = token.key
        if replaced:
            messages.success(request, "A new API token was made; the old one no longer works.")
        else:
            messages.success(request, "Your API token was made.")
        return redirect("profile:page")


class TokenRevokeView(View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        if services.api_token_revoke(user=request.user):
            messages.success(request, "Your API token was revoked: it no longer works.")
        else:
            messages.info(request, "You had no API token to revoke.")
        return redirect("profile:page")

from __future__ import annotations

import logging
import sys
import time
import uuid

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger(__name__)
request_logger = logging.getLogger("raregate.requests")
DATABASE_DOWN = (OperationalError, InterfaceError)
UNAVAILABLE = "The service is temporarily unavailable."


class PageLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every page needs a log-in; the API answers 401/403 itself, since tokens are DRF's."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 without any detail: JSON for the API, a plain page (no database, no user) otherwise."""
    if request.path_info.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": UNAVAILABLE}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "10"
    return response


class DatabaseUnavailableMiddleware:
    """A view that loses the database answers 503, not a 500 with details.

    Database errors raised outside views (the session and user loaded by other middleware) go
    to `server_error`, the project's handler500, which answers the same 503.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        except DATABASE_DOWN as error:
            return self._unavailable(request, error)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_DOWN):
            return self._unavailable(request, exception)
        return None

    @staticmethod
    def _unavailable(request: HttpRequest, error: Exception) -> HttpResponse:
        logger.error(
            "Database unavailable for %s %s: %s: %s",
            request.method,
            request.path_info,
            type(error).__name__,
            str(error).strip().splitlines()[0] if str(error).strip() else "",
        )
        return unavailable_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage is a 503 (see DatabaseUnavailableMiddleware)."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN):
        logger.error("Database unavailable for %s %s", request.method, request.path_info)
        return unavailable_response(request)
    return django_server_error(request)


class RequestLogMiddleware:
    """One log line per request on "raregate.requests" (JSON with the `json` formatter)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        request.request_id = request_id
        response = None
        try:
            response = self.get_response(request)
            return response
        finally:
            username = _username(request)
            status = response.status_code if response is not None else 500
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "user": username,
                    "request_id": request_id,
                },
            )


def _username(request: HttpRequest) -> str | None:
    try:
        user = getattr(request, "user", None)
        return user.get_username() if user is not None and user.is_authenticated else None
    except DATABASE_DOWN:
        return None

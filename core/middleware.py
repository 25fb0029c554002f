from __future__ import annotations

import logging
import sys
import time
import uuid

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
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


NUL_REFUSED = "The address holds a NUL character."
# Multipart framing and the form's other fields, beside the file itself.
BODY_FRAMING_BYTES = 64 * 1024


def refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """A request refused before any view: JSON for the API, plain text otherwise."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain")


def body_limit(path: str) -> int:
    """The most a request body to this path may hold: an upload's file limit where files are
    taken (customs files, evidence, the admin's forms), else REQUEST_MAX_BYTES."""
    if path.startswith(("/imports/", "/api/v1/imports/", "/admin/")):
        return settings.IMPORT_MAX_BYTES + BODY_FRAMING_BYTES
    if path.startswith(("/approvals/", "/api/v1/approvals/")):
        return settings.EVIDENCE_MAX_BYTES + BODY_FRAMING_BYTES
    return settings.REQUEST_MAX_BYTES


class BoundedBodyMiddleware:
    """A body declared larger than its path takes is answered 413 before a byte of it is read
    (before the CSRF check would read, and spool, the whole form)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request.path_info)
        if length > limit:
            message = f"The request body is {length:,} bytes; this address takes {limit:,}."
            return refused(request, message, 413)
        return self.get_response(request)


class RefuseNulMiddleware:
    """A NUL in the path or the query string is answered 400 before any view reads it: no
    address legitimately holds one, and PostgreSQL refuses it in a query (forms and the API's
    serializers refuse it in what is posted)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path_info or "%00" in query or "\x00" in query:
            return refused(request, NUL_REFUSED, 400)
        return self.get_response(request)


class PrivateResponseMiddleware:
    """What a signed-in user (or a token) is answered is for that user only: no shared cache
    and no browser history may keep it (`Cache-Control: private, no-store`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META:
            patch_cache_control(response, private=True, no_store=True)
        return response


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

"""Security: deploy checks, CSP with no inline script, throttling, private uploads, safe CSV."""

from __future__ import annotations

import csv
import io
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from rest_framework.throttling import SimpleRateThrottle

from core.roles import ANALYST, COMPLIANCE
from dashboards.models import MonthlySummary
from dashboards.services import monthly_summaries_rebuild
from exports.models import ImportBatch
from tests.conftest import client_for, user_with_role
from tests.dashboards.test_summaries import import_data_file
from tests.exports.test_views import ImportBatchFactory
from tests.licensing.test_views import PDF, approval_with_evidence

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x")'


def html(response) -> str:
    return response.content.decode()


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


# check --deploy


def test_check_deploy_with_the_production_settings_prints_no_warning(tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL"} and not key.startswith("DJANGO_")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
        DJANGO_ALLOWED_HOSTS="example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output, output


# Content-Security-Policy


@pytest.fixture
def analyst_with_data(reference_data):
    import_data_file("gacc_rare_earths_monthly.csv")
    monthly_summaries_rebuild()
    return client_for(user_with_role("ana", ANALYST))


def test_every_page_carries_a_csp_without_inline_script(analyst_with_data):
    response = analyst_with_data.get("/")

    assert response.status_code == 200
    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"].split("style-src")[0]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    # The log-in page, which anyone sees, carries it too.
    assert csp_directives(Client().get("/login/"))["script-src"] == ["'self'"]


SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def inline_scripts(page: str) -> list[str]:
    """The <script> tags that would run inline code: neither a src nor JSON data."""
    return [
        attributes
        for attributes in SCRIPT_TAG.findall(page)
        if not re.search(r"\bsrc\s*=", attributes)
        and not re.search(r"""\btype\s*=\s*["']application/json["']""", attributes)
    ]


@pytest.mark.parametrize(
    "url", ["/", "/charts/", "/automakers/", "/licences/", "/approvals/", "/imports/"]
)
def test_no_page_has_an_inline_script(analyst_with_data, url):
    response = analyst_with_data.get(url)

    assert response.status_code == 200
    page = html(response)
    assert inline_scripts(page) == []
    if url in ("/", "/charts/"):
        # The figures are there, as data for the static script.
        assert 'type="application/json"' in page
        assert "/static/js/charts.js" in page


def test_the_scan_finds_an_inline_script():
    assert inline_scripts('<script>alert(1)</script><script src="/static/a.js"></script>') == [""]


def test_the_api_docs_load_their_script_from_a_url(analyst_client):
    response = analyst_client.get("/api/docs/")

    assert response.status_code == 200
    page = html(response)
    assert inline_scripts(page) == []
    init = re.search(r'<script src="([^"]*script=[^"]*)"', page)
    assert init, page
    script = analyst_client.get(init.group(1).replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


# Log-in throttling


@pytest.fixture
def people(db):
    return user_with_role("ana", ANALYST), user_with_role("cora", COMPLIANCE)


def log_in(client: Client, username: str, password: str = "pw-for-tests"):
    return client.post("/login/", {"username": username, "password": password})


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


LIMIT = settings.AXES_FAILURE_LIMIT
WINDOW = settings.AXES_COOLOFF_TIME.total_seconds()


def fail_from(address: str, username: str = "ana") -> Client:
    """LIMIT wrong passwords from the address: the last one locks the user name there."""
    client = Client(REMOTE_ADDR=address)
    for _ in range(LIMIT - 1):
        response = log_in(client, username, "wrong")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in html(response)
    assert log_in(client, username, "wrong").status_code == 429
    return client


def test_at_the_limit_a_user_name_is_locked_at_that_address_even_for_the_right_password(people):
    client = fail_from("203.0.113.7")

    response = log_in(client, "ana")  # the right password, from the same address

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= WINDOW
    assert "Too many failed log-in attempts" in html(response)
    assert not logged_in(client)


def test_the_right_password_from_another_address_still_logs_in(people):
    fail_from("203.0.113.7")

    elsewhere = Client(REMOTE_ADDR="198.51.100.1")

    assert log_in(elsewhere, "ana").status_code == 302
    assert logged_in(elsewhere)


def test_a_full_width_variant_of_a_locked_user_name_is_locked_too(people):
    fail_from("203.0.113.7")

    client = Client(REMOTE_ADDR="203.0.113.7")

    assert log_in(client, "ａｎａ").status_code == 429  # NFKC makes it "ana", as Django does
    assert not logged_in(client)


def test_another_user_at_the_same_address_and_the_user_after_the_window_log_in(people):
    fail_from("203.0.113.7")

    assert log_in(Client(REMOTE_ADDR="203.0.113.7"), "cora").status_code == 302
    with time_machine.travel(time.time() + WINDOW + 1):
        assert log_in(Client(REMOTE_ADDR="203.0.113.7"), "ana").status_code == 302


def test_a_successful_log_in_resets_the_count(people):
    for _ in range(2):
        client = Client(REMOTE_ADDR="203.0.113.7")
        for _ in range(LIMIT - 1):
            assert log_in(client, "ana", "wrong").status_code == 200
        assert log_in(client, "ana").status_code == 302


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(people):
    def through(proxy: str, forwarded: str) -> Client:
        return Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded)

    # Behind the proxy, each person is the address it forwards: one locked, the other not.
    for _ in range(LIMIT):
        log_in(through("10.0.0.2", "203.0.113.7"), "ana", "wrong")
    assert log_in(through("10.0.0.2", "203.0.113.7"), "ana").status_code == 429
    assert log_in(through("10.0.0.2", "198.51.100.1"), "ana").status_code == 302
    # Only the address the proxy added counts: what the client wrote before it is its own word.
    assert log_in(through("10.0.0.2", "198.51.100.9, 203.0.113.7"), "ana").status_code == 429
    # A client that connects directly cannot claim another's address to lock it or escape.
    assert log_in(through("192.0.2.50", "203.0.113.7"), "ana").status_code == 302


def test_failed_log_ins_are_recorded_for_the_admin(people):
    fail_from("203.0.113.7")

    attempt = AccessAttempt.objects.get()
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("root", password="x" * 12))

    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "ana",
        "203.0.113.7",
        LIMIT,
    )
    assert admin.get("/admin/axes/accessattempt/").status_code == 200


def test_lockout_still_counts_while_redis_is_down(people, private_redis, settings):
    # The cache on a private redis-server, then that server stopped.
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": private_redis.url(1),
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    private_redis.stop()

    client = fail_from("203.0.113.7")

    assert log_in(client, "ana").status_code == 429
    assert log_in(Client(REMOTE_ADDR="198.51.100.1"), "ana").status_code == 302


def test_the_admin_log_in_goes_through_the_throttled_page():
    response = Client().get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response.url == "/login/?next=/admin/"


# API throttling


def test_api_requests_over_the_rate_are_answered_429_with_retry_after(analyst_client, monkeypatch):
    # DRF reads the rates into the class when it is imported: lower them there.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": None})

    for _ in range(3):
        assert analyst_client.get("/api/v1/automakers/").status_code == 200
    response = analyst_client.get("/api/v1/automakers/")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    # Counted per user: another user is still served.
    other = client_for(user_with_role("cora", COMPLIANCE))
    assert other.get("/api/v1/automakers/").status_code == 200


def test_api_throttling_is_configured_per_user_and_per_address():
    from rest_framework.settings import api_settings

    names = [cls.__name__ for cls in api_settings.DEFAULT_THROTTLE_CLASSES]
    assert names == ["UserRateThrottle", "AnonRateThrottle"]
    assert set(api_settings.DEFAULT_THROTTLE_RATES) == {"user", "anon"}


# Uploaded files


@pytest.fixture
def approval(reference_data):
    return approval_with_evidence()


def test_an_evidence_file_is_stored_under_a_random_name_outside_the_static_root(approval):
    path = Path(approval.evidence_file.path)

    assert path.read_bytes() == PDF
    assert "mofcom-notice" not in path.name
    assert path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.STATIC_ROOT))


def test_an_anonymous_user_is_sent_to_log_in_for_an_evidence_file(approval):
    response = Client().get(f"/approvals/{approval.pk}/evidence/")

    assert response.status_code == 302
    assert response.url.startswith("/login/")
    assert PDF not in response.content


def test_an_evidence_file_is_handed_out_as_an_attachment_to_a_user_allowed_to_see_it(
    approval, analyst_client
):
    response = analyst_client.get(f"/approvals/{approval.pk}/evidence/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF


def test_an_evidence_file_is_not_reachable_by_its_url_guessed_under_media(approval, analyst_client):
    url = f"/media/{approval.evidence_file.name}"

    for client in (Client(), analyst_client):
        response = client.get(url)
        assert response.status_code == 404
        assert PDF not in response.content


# CSV downloads


def csv_rows(response) -> list[list[str]]:
    content = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


def test_an_errors_csv_cell_holding_a_formula_is_neutralised(analyst_client):
    batch = ImportBatchFactory(
        status=ImportBatch.Status.FAILED,
        original_name=f"{FORMULA}.csv",
        message="1 row error(s): nothing was stored.",
        rows_read=1,
        rows_in_error=1,
        errors=[{"line": 2, "column": "+tonnes", "message": FORMULA}],
    )

    response = analyst_client.get(f"/imports/{batch.pk}/errors.csv")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    header, row = csv_rows(response)
    assert header == ["line", "column", "message"]
    assert row == ["2", "'+tonnes", f"'{FORMULA}"]


def test_a_charts_csv_cell_holding_a_formula_is_neutralised(analyst_with_data):
    MonthlySummary.objects.filter(partner="").update(source_url=FORMULA)

    response = analyst_with_data.get("/charts/?format=csv")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    header, *rows = csv_rows(response)
    assert rows
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        assert cells["source_url"] == f"'{FORMULA}"


@pytest.fixture
def cache_down(monkeypatch):
    """Every cache call fails as it does while Redis is unreachable."""
    from django.core.cache.backends.locmem import LocMemCache
    from redis.exceptions import ConnectionError as RedisConnectionError

    def unreachable(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    for name in ("get", "set", "add", "incr", "delete_many", "get_many"):
        monkeypatch.setattr(LocMemCache, name, unreachable)


def test_log_in_and_the_api_still_work_while_the_cache_is_down(people, cache_down):
    client = Client()
    assert log_in(client, "ana", "wrong").status_code == 200
    assert log_in(client, "ana").status_code == 302

    response = client.get("/api/v1/elements/")
    assert response.status_code == 200


# Small ones (issue 13, item 10)


def test_a_nul_in_an_address_is_refused_before_any_view_reads_it(analyst_client):
    api = analyst_client.get("/api/v1/series/%00/")
    page = analyst_client.get("/charts/", {"series": "\x00"})

    assert api.status_code == 400
    assert api.json() == {"detail": "The address holds a NUL character."}
    assert page.status_code == 400


def test_what_a_signed_in_user_is_answered_is_never_kept_by_a_cache(
    analyst_client, analyst, reference_data
):
    from rest_framework.authtoken.models import Token

    from tests.licensing.test_views import approval_with_evidence

    user_with_role("cora", COMPLIANCE)
    approval = approval_with_evidence()
    token = Token.objects.create(user=analyst)
    answers = [
        analyst_client.get("/automakers/"),
        analyst_client.get(f"/approvals/{approval.pk}/evidence/"),
        Client().get("/api/v1/automakers/", HTTP_AUTHORIZATION=f"Token {token.key}"),
    ]

    for response in answers:
        assert response.status_code == 200
        assert {"private", "no-store"} <= {
            part.strip() for part in response["Cache-Control"].split(",")
        }


def test_a_users_api_token_is_revoked_when_the_password_changes(analyst):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=analyst)
    analyst.last_name = "Renamed"
    analyst.save()
    assert Token.objects.filter(pk=token.pk).exists()  # other changes keep it

    analyst.set_password("a-new-password-for-tests")
    analyst.save()

    assert not Token.objects.filter(user=analyst).exists()
    response = Client().get("/api/v1/automakers/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 401


def test_a_file_one_byte_over_the_limit_is_not_said_to_be_the_limit(settings):
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile

    from exports.services import import_batch_register

    settings.IMPORT_MAX_BYTES = 100 * 1024 * 1024
    data = ContentFile(b"x" * (settings.IMPORT_MAX_BYTES + 1), name="big.csv")

    with pytest.raises(ValidationError) as refused:
        import_batch_register(file=data, original_name="big.csv")

    assert refused.value.message_dict["file"] == [
        "big.csv is 104,857,601 bytes; the limit is 104,857,600 bytes."
    ]


def test_a_body_larger_than_its_address_takes_is_refused_before_it_is_read(analyst_client):
    def posted(client: Client, path: str, declared: int):
        # One byte sent, `declared` announced: reading the body would fail.
        return client.generic(
            "POST", path, b"x", content_type="text/plain", CONTENT_LENGTH=str(declared)
        )

    anonymous = posted(Client(), "/login/", 200 * 1024 * 1024)
    api = posted(analyst_client, "/api/v1/licences/", settings.REQUEST_MAX_BYTES + 1)
    upload = posted(analyst_client, "/api/v1/imports/", settings.IMPORT_MAX_BYTES + 1024 * 1024)

    assert anonymous.status_code == 413
    assert api.status_code == 413
    assert api.json()["detail"].startswith("The request body is 1,048,577 bytes")
    assert upload.status_code == 413

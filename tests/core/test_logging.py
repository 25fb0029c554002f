"""Structured logs: one JSON line per request and per task, with the user and the batch id."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from pythonjsonlogger.json import JsonFormatter

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

DATA = Path(settings.BASE_DIR) / "data" / "exports"


@pytest.fixture
def json_lines():
    """What the `json` formatter of settings.LOGGING writes, for the two structured loggers."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        JsonFormatter(
            **{k: v for k, v in settings.LOGGING["formatters"]["json"].items() if k != "()"}
        )
    )
    loggers = [logging.getLogger("raregate.requests"), logging.getLogger("raregate.tasks")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_settings_format_console_logs_as_json():
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"
    assert "core.middleware.RequestLogMiddleware" in settings.MIDDLEWARE


def test_a_request_writes_one_json_line_with_its_user(analyst, json_lines):
    response = client_for(analyst).get("/api/v1/elements/", headers={"X-Request-ID": "req-42"})
    assert response.status_code == 200

    (line,) = [line for line in json_lines() if line["logger"] == "raregate.requests"]
    assert line["method"] == "GET"
    assert line["path"] == "/api/v1/elements/"
    assert line["status"] == 200
    assert line["user"] == "ana"
    assert line["request_id"] == "req-42"
    assert isinstance(line["duration_ms"], float)
    assert line["level"] == "INFO"


def test_an_api_token_request_names_its_user(analyst, json_lines):
    from django.test import Client
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=analyst)
    Client(headers={"Authorization": f"Token {token.key}"}).get("/api/v1/elements/")

    (line,) = [line for line in json_lines() if line["logger"] == "raregate.requests"]
    assert line["user"] == "ana"
    assert line["request_id"]


def test_an_anonymous_request_has_a_null_user(client, json_lines):
    client.get("/api/v1/elements/")

    (line,) = [line for line in json_lines() if line["logger"] == "raregate.requests"]
    assert line["user"] is None
    assert line["status"] == 401


def test_a_task_writes_one_json_line_with_its_batch_id(json_lines):
    from exports.services import import_batch_register
    from exports.tasks import import_batch_run

    name = "gacc_rare_earths_monthly.csv"
    batch, _ = import_batch_register(
        file=ContentFile((DATA / name).read_bytes(), name=name), original_name=name, enqueue=False
    )
    result = import_batch_run.delay(batch.pk)
    assert result.get() == "succeeded"

    lines = [line for line in json_lines() if line["logger"] == "raregate.tasks"]
    (line,) = [line for line in lines if line["task"] == "exports.tasks.import_batch_run"]
    assert line["batch_id"] == batch.pk
    assert line["state"] == "SUCCESS"
    assert line["task_id"] == result.id
    assert isinstance(line["duration_ms"], float)

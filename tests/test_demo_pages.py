"""The demo runs as a user will see it: no debug pages, the project's own 404 and 500, its
static files served. Each case runs the demo settings in a process of its own, with an empty
SQLite database of its own (settings are read once, at import)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.test_settings import BASE_DIR

# Requests through Django's test client under the demo settings (client, not runserver: the
# handler that turns a 404 or an uncaught error into a page is the same).
REQUESTS = """
import json
import environ
environ.Env.read_env = classmethod(lambda cls, *args, **kwargs: None)  # ignore any .env file
import django
from django.conf import settings
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from django.urls import path
import config.urls

def broken(request):
    raise RuntimeError("a bug")

config.urls.urlpatterns.append(path("broken-for-the-test/", broken))
client = Client(raise_request_exception=False)
from django.contrib.auth import get_user_model
client.force_login(get_user_model().objects.create_user("demo-test", password="unused-1234"))
answers = {}
for url in ["/no-such-page/", "/broken-for-the-test/", "/static/css/raregate.css"]:
    response = client.get(url, HTTP_HOST="127.0.0.1")
    body = b"".join(response) if response.streaming else response.content
    answers[url] = {"status": response.status_code, "body": body.decode()[:4000]}
print(json.dumps({"debug": settings.DEBUG, "answers": answers}))
"""


def test_the_demo_shows_its_own_error_pages_and_serves_its_static_files(tmp_path):
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "RAREGATE_")) and name not in {"REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    )
    done = subprocess.run(
        [sys.executable, "-c", REQUESTS],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    answers = report["answers"]

    assert report["debug"] is False
    missing = answers["/no-such-page/"]
    assert missing["status"] == 404
    assert "There is nothing at this address" in missing["body"]
    assert "RareGate" in missing["body"]
    assert "URLconf" not in missing["body"] and "Django" not in missing["body"]
    error = answers["/broken-for-the-test/"]
    assert error["status"] == 500
    assert "RareGate could not answer this request" in error["body"]
    assert "Traceback" not in error["body"] and "RuntimeError" not in error["body"]
    assert answers["/static/css/raregate.css"]["status"] == 200
    assert answers["/static/css/raregate.css"]["body"].startswith("/* RareGate")

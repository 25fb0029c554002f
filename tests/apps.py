"""The app under test in processes of its own, as production runs it: gunicorn, manage.py.

Tests point them at private servers (tests/servers.py) or at the suite's test database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from tests.servers import TIMEOUT, free_port, log_tail

ROOT = Path(__file__).resolve().parent.parent


def suite_database_url() -> str:
    """The URL of the test database this process uses, for the processes it starts."""
    from django.db import connection

    db = connection.settings_dict
    login = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    return f"postgres://{login}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def app_environment(*, database_url: str, redis_url: str, media_root: Path) -> dict[str, str]:
    """The environment of a web app, command or worker process on the given servers."""
    from django.conf import settings

    # The cache goes with REDIS_URL (its database 1), never to a cache URL of the suite's.
    inherited = {k: v for k, v in os.environ.items() if k != "RAREGATE_CACHE_URL"}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "tests.app_settings",
        # The suite's own key: sessions that the tests make are valid in the app too.
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_MEDIA_ROOT": str(media_root),
        "PYTHONPATH": str(ROOT),
    }


def manage(env: dict[str, str], *arguments: str) -> str:
    """Run `manage.py` with `env`; its standard output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(arguments)} failed:\n{result.stderr}")
    return result.stdout


class WebApp:
    """gunicorn serving RareGate on a free port, as production does."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log = log
        gunicorn = Path(sys.executable).with_name("gunicorn")
        with open(log, "ab") as out:
            self.process = subprocess.Popen(
                [str(gunicorn), "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                 "--workers", "1", "--timeout", "60"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + TIMEOUT
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gunicorn did not start:\n{log_tail(log)}")
            time.sleep(0.2)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _answers(self) -> bool:
        try:
            requests.get(self.url("/healthz"), timeout=5)
        except requests.RequestException:
            return False
        return True

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.running():
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


@pytest.fixture
def web_app(tmp_path) -> Iterator[Callable[[dict[str, str]], WebApp]]:
    """Start gunicorn with an environment (app_environment); stopped after the test."""
    apps: list[WebApp] = []

    def start(env: dict[str, str]) -> WebApp:
        apps.append(WebApp(env, tmp_path / f"gunicorn-{len(apps)}.log"))
        return apps[-1]

    try:
        yield start
    finally:
        for app in apps:
            app.stop()

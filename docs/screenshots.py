"""Screenshots of each role's main pages, on a desktop and on a phone, for the README.

`make screenshots` runs this: it builds a throw-away demo database (SQLite, in a temporary
folder, loaded exactly as `make demo` loads its own), serves it on a free port, logs in as each
demo user with Debian's Chromium (RAREGATE_CHROMIUM names another) and writes
docs/screenshots/<role>-<page>-<desktop|phone>.png. The demo's own db.sqlite3 is left alone.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("RAREGATE_CHROMIUM", "/usr/bin/chromium")
VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}

# (name, path or the link to follow from a list page): a link is (list path, the selector of
# the link in the list's table, the first one matching).
PAGES = {
    "analyst": [
        ("overview", "/"),
        ("automakers", "/automakers/"),
        ("automaker", ("/automakers/", "a:text-is('Ford Motor Co.')")),
        ("what-if", "/what-if/"),
        ("licences", "/licences/"),
        ("exporter", ("/exporters/", "a[href^='/exporters/']")),
        ("code", "/codes/8505.11/"),
        ("search", "/search/?q=Ningbo"),
    ],
    "compliance": [
        ("imports", "/imports/"),
        ("licence", ("/licences/", "a[href^='/licences/']")),
        ("approval", ("/approvals/", "a[href^='/approvals/']")),
        ("control-measures", "/control-measures/"),
        ("lists", "/entity-lists/"),
    ],
    "manager": [
        ("overview", "/"),
        ("charts", "/charts/"),
        ("brief", "/brief/"),
        ("automaker", ("/automakers/", "a:text-is('Ford Motor Co.')")),
    ],
}
PASSWORDS = {"analyst": "analyst-demo", "compliance": "compliance-demo", "manager": "manager-demo"}


def demo_environment(folder: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        DJANGO_MEDIA_ROOT=str(folder / "media"),
        DJANGO_SETTINGS_MODULE="config.settings.local",
    )
    return environment


def manage(environment: dict[str, str], *arguments: str) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.exit(f"manage.py {arguments[0]} failed:\n{done.stdout}{done.stderr}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our own local server)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def log_in(page: Page, base: str, role: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", role)
    page.fill("input[name=password]", PASSWORDS[role])
    page.click("button[type=submit]")
    page.wait_for_load_state()


def open_page(page: Page, base: str, target: str | tuple[str, str]) -> None:
    if isinstance(target, str):
        page.goto(f"{base}{target}")
    else:
        list_path, link = target
        page.goto(f"{base}{list_path}")
        page.locator("table.data tbody").locator(link).first.click()
    page.wait_for_load_state("networkidle")
    if page.locator(".js-plotly-plot, [data-figure]").count():
        page.wait_for_timeout(800)  # let plotly finish drawing


def shoot(base: str) -> list[Path]:
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        for role, pages in PAGES.items():
            for device, viewport in VIEWPORTS.items():
                context = browser.new_context(viewport=viewport)
                page = context.new_page()
                log_in(page, base, role)
                for name, target in pages:
                    open_page(page, base, target)
                    path = OUT / f"{role}-{name}-{device}.png"
                    page.screenshot(path=path)
                    written.append(path)
                if device == "phone" and role == "analyst":
                    page.get_by_role("button", name="Menu").click()
                    path = OUT / f"{role}-menu-phone.png"
                    page.screenshot(path=path)
                    written.append(path)
                context.close()
        browser.close()
    return written


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="raregate-screenshots-") as folder:
        environment = demo_environment(Path(folder))
        manage(environment, "migrate", "--noinput")
        manage(environment, "load_reference")
        manage(environment, "create_demo_users")
        manage(
            environment, "import_exports", *sorted(str(p) for p in ROOT.glob("data/exports/*.csv"))
        )
        manage(environment, "raise_alerts")
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/login/")
            written = shoot(base)
        finally:
            server.terminate()
            server.wait(timeout=10)
    for path in written:
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()

"""Exports announce a committed import and what it changed; they call no other app for it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile

from exports.models import ImportBatch, Series
from exports.selectors import import_batch_changes
from exports.services import import_batch_process, import_batch_register
from exports.signals import import_committed

pytestmark = pytest.mark.django_db

HEADER = "series,period,partner,tonnes,value,value_unit,source_url\n"


@pytest.fixture
def announced():
    """Every import_committed sent while the test runs, as the keyword arguments it carried."""
    heard: list[dict] = []

    def listen(sender, **kwargs):
        kwargs.pop("signal")
        heard.append(kwargs)

    import_committed.connect(listen, dispatch_uid="test-listener")
    yield heard
    import_committed.disconnect(dispatch_uid="test-listener")


def run(lines: list[str], name: str) -> ImportBatch:
    content = (HEADER + "".join(lines)).encode()
    batch, _ = import_batch_register(
        file=ContentFile(content, name=name), original_name=name, enqueue=False
    )
    return import_batch_process(batch_id=batch.pk)


def series_id(code: str) -> int:
    return Series.objects.get(code=code).pk


def test_it_announces_a_committed_import_with_what_it_changed(
    announced, django_capture_on_commit_callbacks
):
    lines = [
        "gacc-rare-earths,2025-10,,4343.5,,,\n",
        "gacc-rare-earths,2025-11,,5493.9,,,\n",
        "gacc-ndfeb-magnets,2025-01/2025-02,DEU,120,,,\n",
        "gacc-ndfeb-magnets,2025-06,DEU,80,,,\n",
    ]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        batch = run(lines, "new.csv")
        assert announced == []  # nothing before the commit

    assert callbacks
    magnets, rare_earths = series_id("gacc-ndfeb-magnets"), series_id("gacc-rare-earths")
    expected = sorted(
        [
            {"series_id": rare_earths, "partner": "", "first": "2025-10-01", "last": "2025-11-01"},
            {"series_id": magnets, "partner": "DEU", "first": "2025-01-01", "last": "2025-06-01"},
        ],
        key=lambda entry: (entry["series_id"], entry["partner"]),
    )
    assert announced == [{"batch_id": batch.pk, "changed": expected}]
    assert import_batch_changes(batch_id=batch.pk) == expected


def test_a_revision_announces_only_the_figures_it_changed(
    announced, django_capture_on_commit_callbacks
):
    run([f"gacc-rare-earths,2025-{month:02d},,{1000 + month},,,\n" for month in range(1, 13)], "a")
    revision_lines = [
        "gacc-rare-earths,2025-03,,1003,,,\n",  # unchanged
        "gacc-rare-earths,2025-07,,7777,,,\n",
        "gacc-rare-earths,2025-09,,9999,,,\n",
    ]

    with django_capture_on_commit_callbacks(execute=True):
        revision = run(revision_lines, "revision.csv")

    assert (revision.rows_unchanged, revision.rows_superseding) == (1, 2)
    changed = [
        {
            "series_id": series_id("gacc-rare-earths"),
            "partner": "",
            "first": "2025-07-01",
            "last": "2025-09-01",
        }
    ]
    assert announced == [{"batch_id": revision.pk, "changed": changed}]
    assert import_batch_changes(batch_id=revision.pk) == changed


def test_a_failed_import_announces_nothing(announced, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = run(["gacc-rare-earths,2025-13,,1,,,\n"], "bad.csv")

    assert batch.status == ImportBatch.Status.FAILED
    assert announced == []


def test_a_listener_that_fails_does_not_fail_the_import(django_capture_on_commit_callbacks):
    def broken(sender, **kwargs):
        raise RuntimeError("a listener's bug")

    import_committed.connect(broken, dispatch_uid="test-broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            batch = run(["gacc-rare-earths,2025-11,,5493.9,,,\n"], "november.csv")
    finally:
        import_committed.disconnect(dispatch_uid="test-broken")

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.SUCCEEDED
    assert batch.records.count() == 1


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


@pytest.mark.parametrize("app", ["exports", "licensing"])
def test_it_imports_nothing_from_the_dashboards(app):
    offending = {
        str(path.relative_to(settings.BASE_DIR)): sorted(
            name for name in imported_modules(path) if name.split(".")[0] == "dashboards"
        )
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py")
    }

    assert {path: names for path, names in offending.items() if names} == {}

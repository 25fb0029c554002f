"""Apps keep to their own code: every import of every module, read from its source, obeys
the layers (dashboards → exports → licensing → core) and no app imports another's views or forms.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
TEMPLATE_USE = re.compile(r"{%\s*(?:include|extends)\s+[\"']([^\"']+)[\"']")
# Lowest first: an app may import its own layer and those below it, never one above.
LAYERS = ("core", "licensing", "exports", "dashboards")
# An app's pages and forms are its own; what other apps need of them belongs in core.
PRIVATE = ("views", "forms")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """The modules `path` imports, anywhere in it (a function's own imports too), absolute."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            found.add(origin)
            # `from licensing import views` imports the module licensing.views.
            found.update(f"{origin}.{alias.name}" for alias in node.names)
    return found


def app_of(module: str) -> str | None:
    first = module.split(".")[0]
    return first if first in LAYERS else None


def edges() -> set[tuple[str, str]]:
    """(importing module, imported module) for every import between modules of the apps."""
    found = set()
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            importer = module_name(path)
            found.update((importer, imported) for imported in imports(path) if app_of(imported))
    return found


def broken(edge: tuple[str, str]) -> str:
    """Why an import breaks the rules, or "" when it keeps them."""
    importer, imported = edge
    source, target = app_of(importer), app_of(imported)
    if source == target:
        return ""
    if LAYERS.index(target) > LAYERS.index(source):
        return f"{source} may not import {target} (dependencies point {' → '.join(LAYERS[::-1])})"
    # core's views and forms are there to be shared; an app's are its own.
    if target != "core" and imported.split(".")[1:2] and imported.split(".")[1] in PRIVATE:
        return f"{source} may not import {target}'s {imported.split('.')[1]}"
    return ""


@pytest.fixture(scope="module")
def all_edges() -> set[tuple[str, str]]:
    return edges()


def test_it_reads_the_imports_between_apps(all_edges):
    # Not a test that passes because it read nothing.
    assert ("dashboards.models", "exports.models") in all_edges
    assert any(importer.startswith("licensing.") for importer, _ in all_edges)


def test_dependencies_point_one_way_and_no_app_imports_another_apps_views_or_forms(all_edges):
    problems = sorted(
        f"{importer} imports {imported}: {broken((importer, imported))}"
        for importer, imported in all_edges
        if broken((importer, imported))
    )

    assert problems == []


def test_core_imports_no_app(all_edges):
    from_core = [
        (importer, imported) for importer, imported in all_edges if app_of(importer) == "core"
    ]

    assert [edge for edge in from_core if app_of(edge[1]) != "core"] == []


@pytest.mark.parametrize(
    ("edge", "reason"),
    [
        (("exports.views", "licensing.views.common"), "exports may not import licensing's views"),
        (("dashboards.forms", "exports.forms"), "dashboards may not import exports's forms"),
        (("licensing.selectors", "exports.models"), "licensing may not import exports"),
        (("core.views", "licensing.models"), "core may not import licensing"),
    ],
)
def test_it_names_what_each_kind_of_broken_import_breaks(edge, reason):
    assert broken(edge).startswith(reason)


def test_it_allows_an_apps_own_code_and_what_lies_below_it():
    assert broken(("licensing.views.approvals", "licensing.forms")) == ""
    assert broken(("dashboards.models", "exports.models")) == ""
    assert broken(("exports.views", "core.views")) == ""


def test_an_apps_templates_use_only_its_own_templates_cores_and_the_base():
    problems = []
    for app in LAYERS:
        for path in sorted((TEMPLATES / app).rglob("*.html")):
            for used in TEMPLATE_USE.findall(path.read_text()):
                folder = used.split("/")[0] if "/" in used else None
                if folder not in (None, app, "core"):
                    problems.append(f"{path.relative_to(TEMPLATES)} uses {used}")

    assert problems == []

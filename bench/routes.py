"""Every URL the benchmarks request, and who requests it: the one place to change them.

bench/pages.py requests each page and API list below as the role named with it; bench/load.py's
simulated people request what ROUTINES gives their role. When a list gains pagination or a filter,
or a page appears, change it here.
"""

from __future__ import annotations

ROLES = ("analyst", "manager", "compliance")

# (path, role): every list page (and the overview and charts), as a role that may see it; a
# {name} in a path is the id bench.seed.bench_ids gives it.
PAGES = [
    ("/", "manager"),  # the overview
    ("/charts/?series=comtrade-850511&partner=DEU", "manager"),
    ("/automakers/", "analyst"),
    ("/automakers/{automaker}/", "analyst"),  # ids: bench.seed.bench_ids
    ("/automakers/{automaker}/timeline/", "analyst"),
    ("/what-if/?licence=%23{licence}&event=not_renewed", "analyst"),
    ("/importers/", "analyst"),
    ("/licences/", "analyst"),
    ("/licences/?expiring_within=30", "analyst"),
    ("/approvals/", "compliance"),
    ("/alerts/", "analyst"),
    ("/control-measures/", "compliance"),
    ("/controls/lookup/?code=8505111000", "analyst"),
    ("/entity-lists/", "analyst"),
    ("/imports/", "compliance"),
    ("/exporters/", "analyst"),
    ("/exporters/{exporter}/", "analyst"),
    ("/elements/Dy/", "analyst"),
    ("/codes/8505.11/", "analyst"),
    ("/search/?q=Ningbo", "analyst"),
    ("/brief/", "manager"),
]

# (path, role): every /api/v1/ list endpoint unfiltered, and the filtered reads load.py makes.
API_LISTS = [
    ("/api/v1/elements/", "analyst"),
    ("/api/v1/hs-codes/", "analyst"),
    ("/api/v1/control-measures/", "analyst"),
    ("/api/v1/controls/lookup/?code=8505111000", "analyst"),
    ("/api/v1/controls/lookup/?code=1C902", "analyst"),
    ("/api/v1/entity-lists/", "analyst"),
    ("/api/v1/exporters/", "analyst"),
    ("/api/v1/importers/", "analyst"),
    ("/api/v1/supply-links/", "analyst"),
    ("/api/v1/automakers/", "analyst"),
    ("/api/v1/automakers/{automaker}/timeline/", "analyst"),
    ("/api/v1/licences/", "analyst"),
    ("/api/v1/licences/?status=issued", "analyst"),
    ("/api/v1/approvals/", "compliance"),
    ("/api/v1/approvals/?status=pending", "compliance"),
    ("/api/v1/imports/", "compliance"),
    ("/api/v1/series/", "manager"),
    ("/api/v1/summaries/", "manager"),
    ("/api/v1/summaries/?series=gacc-rare-earths", "manager"),
]

# bench/load.py: the people of a working day, in proportion (of every 10: 5 analysts, 3 managers,
# 2 compliance staff) ...
SHARES = {"analyst": 5, "manager": 3, "compliance": 2}

# ... what each reads, with weights (a page is "pages", an /api/ path "api-reads") ...
ROUTINES = {
    "analyst": [
        ("/automakers/", 4),
        ("/licences/", 2),
        ("/licences/?expiring_within=30", 2),
        ("/approvals/", 2),
        ("/alerts/", 1),
        ("/control-measures/", 1),
        ("/api/v1/automakers/", 2),
        ("/api/v1/licences/?status=issued", 2),
        ("/api/v1/approvals/", 1),
        ("/api/v1/importers/", 1),
    ],
    "manager": [
        ("/", 5),
        ("/charts/?series=comtrade-850511&partner=DEU", 1),
        ("/charts/?series=comtrade-850511&partner=JPN", 1),
        ("/charts/?series=gacc-rare-earths", 1),
        ("/automakers/", 2),
        ("/licences/?expiring_within=30", 1),
        ("/api/v1/summaries/?series=gacc-rare-earths", 2),
        ("/api/v1/series/", 1),
    ],
    "compliance": [
        ("/approvals/", 4),
        ("/licences/", 2),
        ("/imports/", 2),
        ("/control-measures/", 1),
        ("/alerts/", 1),
        ("/api/v1/approvals/?status=pending", 2),
        ("/api/v1/licences/", 1),
        ("/api/v1/imports/", 1),
    ],
}

# ... and compliance staff record an approval (POST WRITE_PATH) as this share of their requests:
# a fifth of a fifth of the people, about 4% of all requests.
WRITE_PATH = "/api/v1/approvals/"
WRITE_SHARE = 0.2


def kind(path: str) -> str:
    return "api-reads" if path.startswith("/api/") else "pages"

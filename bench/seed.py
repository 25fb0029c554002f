"""The bench database of bench/pages.py and bench/load.py: seeded once, reused while it matches.

Seeding is bench.dashboard_load.app_prepare (N generated export records and the demo data through
the import path), then licences, approvals and automakers, the monthly summaries and ANALYZE. A
database that already holds exactly the requested counts is reused as it is (after `migrate` and
`collectstatic`), so a second run starts in seconds.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dashboard_load import (  # noqa: E402
    DEFAULT_REDIS,
    SERIES,
    app_prepare,
    database_create,
    django_ready,
    environment,
    manage,
)

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/raregate_bench"
LICENCE_PREFIX, APPROVAL_PREFIX, AUTOMAKER_PREFIX = "BENCH-", "Bench approval", "Bench automaker"
EXPORTERS = 50
IMPORTERS = 200
LINK_PREFIX = "Bench supply link"
PASSWORD = "bench-only-password-7f3a"  # the accounts exist only in a bench database
WRITE_MARK = "bench/load.py write"  # the start of every approval bench/load.py records


def services_arguments(parser) -> None:
    """--database-url and --redis-url, from the environment by default, as the brief's runs set."""
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL")
        or os.environ.get("DATABASE_URL")
        or DEFAULT_DATABASE,
        help="a database whose name contains 'bench' (default: $BENCH_DATABASE_URL, "
        f"$DATABASE_URL, {DEFAULT_DATABASE})",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL") or os.environ.get("REDIS_URL") or DEFAULT_REDIS,
        help=f"broker and cache (default: $BENCH_REDIS_URL, $REDIS_URL, {DEFAULT_REDIS})",
    )


def seed_arguments(parser) -> None:
    parser.add_argument("--records", type=int, default=1_000_000, help="generated export records")
    parser.add_argument("--licensing", type=int, default=5_000, help="licences")
    parser.add_argument("--claims", type=int, default=20_000, help="approvals (claims)")
    parser.add_argument("--supply-links", type=int, default=2_000)
    parser.add_argument("--automakers", type=int, default=500)
    parser.add_argument(
        "--reseed", action="store_true", help="seed again even if the counts already match"
    )


def bench_environment(args, media_root: str) -> dict:
    if "bench" not in args.database_url.rsplit("/", 1)[1]:
        raise SystemExit(f"refusing {args.database_url}: its name must contain 'bench'")
    return environment(SimpleNamespace(**vars(args), media_root=media_root))


def wanted(args) -> dict[str, int]:
    return {
        "generated export records": args.records,
        "bench licences": args.licensing,
        "bench approvals": args.claims,
        "bench supply links": args.supply_links,
        "bench automakers": args.automakers,
    }


def counts() -> dict[str, int]:
    from dashboards.models import MonthlySummary
    from exports.models import ExportRecord
    from licensing.models import Approval, Automaker, Licence, SupplyLink

    return {
        "generated export records": ExportRecord.objects.filter(
            series__code__in=SERIES, is_current=True
        ).count(),
        "bench licences": Licence.objects.filter(number__startswith=LICENCE_PREFIX).count(),
        "bench approvals": Approval.objects.filter(statement__startswith=APPROVAL_PREFIX).count(),
        "bench supply links": SupplyLink.objects.filter(evidence__startswith=LINK_PREFIX).count(),
        "bench automakers": Automaker.objects.filter(name__startswith=AUTOMAKER_PREFIX).count(),
        "monthly summaries": MonthlySummary.objects.count(),
        "all export records": ExportRecord.objects.count(),
        "all licences": Licence.objects.count(),
        "all approvals": Approval.objects.count(),
        "all automakers": Automaker.objects.count(),
    }


def seed(env: dict, args) -> dict[str, int]:
    """Make the database hold what `args` asks, reusing it when it does; Django is set up after."""
    database_create(args.database_url)
    manage(env, "migrate", "-v0")
    django_ready(env)
    writes_delete()
    found = counts()
    if (
        not args.reseed
        and found["monthly summaries"]
        and all(found[key] == number for key, number in wanted(args).items())
    ):
        print(f"reusing the seeded database {args.database_url.rsplit('/', 1)[1]}", flush=True)
        static_collect(env)
        return found
    print(f"seeding {args.database_url.rsplit('/', 1)[1]} (found {found})", flush=True)
    from django.db import connection

    from dashboards.services import monthly_summaries_rebuild
    from licensing.alerts.services import alerts_raise

    with tempfile.TemporaryDirectory(prefix="raregate-seed-") as work:
        # Records and demo data through the import path; migrate, reference data, collectstatic.
        app_prepare(env, SimpleNamespace(**vars(args), rows=args.records), Path(work))
    licensing_load(
        licences=args.licensing,
        claims=args.claims,
        links=args.supply_links,
        automakers=args.automakers,
    )
    monthly_summaries_rebuild()
    alerts_raise(on=date.today())  # what the daily task would have raised
    with connection.cursor() as cursor:
        # Autovacuum may be off here: gather the statistics production's would after a bulk load.
        cursor.execute("ANALYZE")
    found = counts()
    print(f"seeded: {found}", flush=True)
    return found


def static_collect(env: dict) -> None:
    """collectstatic (production serves the manifest) unless no static file changed since: it
    compresses plotly.js again each time, about a minute here."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        collected = manifest.stat().st_mtime
        newer = (
            path
            for finder in get_finders()
            for path, storage in finder.list([])
            if Path(storage.path(path)).stat().st_mtime > collected
        )
        if next(newer, None) is None:
            return
    manage(env, "collectstatic", "--noinput", "-v0")


def caches_clear() -> None:
    """Empty every cache the app's settings name: on Redis only the app's own keys (its
    KEY_PREFIX), since the cache's database may be shared."""
    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        cache = caches[alias]
        if hasattr(cache, "delete_pattern"):
            cache.delete_pattern("*")
        else:
            cache.clear()


def caches_described() -> str:
    from django.conf import settings

    return "; ".join(
        f"{alias}: {config['BACKEND'].rsplit('.', 1)[1]} {config.get('LOCATION', '')}".rstrip()
        for alias, config in settings.CACHES.items()
    )


def writes_delete() -> int:
    """Remove what earlier runs of bench/load.py recorded, so that every run starts alike."""
    from licensing.models import Approval

    return Approval.objects.filter(statement__startswith=WRITE_MARK).delete()[0]


def licensing_load(*, licences: int, claims: int, links: int, automakers: int) -> None:
    """`licences` licences, `claims` approvals and `links` supply links over `automakers`
    automakers, as a year of compliance work would leave: each licence held by one of 50
    exporters; the claims made over the year, most naming a licence, some only an exporter, a
    few nothing, several per scope (so that newer ones replace older ones), of every grade; half
    the links from exporters to 200 importers, half from those importers to the automakers."""
    from licensing.models import Approval, Automaker, Exporter, Importer, Licence, SupplyLink

    # Writes of bench/load.py, and anything else recorded about the bench automakers, first.
    SupplyLink.objects.filter(evidence__startswith=LINK_PREFIX).delete()
    Approval.objects.filter(automaker__name__startswith=AUTOMAKER_PREFIX).delete()
    Approval.objects.filter(statement__startswith=APPROVAL_PREFIX).delete()
    Licence.objects.filter(number__startswith=LICENCE_PREFIX).delete()
    exporters = [
        Exporter.objects.get_or_create(name=f"Bench exporter {n}")[0] for n in range(EXPORTERS)
    ]
    importers = [
        Importer.objects.get_or_create(
            name=f"Bench importer {n}", country="DEU", defaults={"kind": "tier1_supplier"}
        )[0]
        for n in range(IMPORTERS)
    ]
    Automaker.objects.filter(name__startswith=AUTOMAKER_PREFIX).delete()
    makers = Automaker.objects.bulk_create(
        Automaker(name=f"{AUTOMAKER_PREFIX} {n:03d}", country="USA") for n in range(automakers)
    )
    # A quarter of the licences ended before today, a few end within 30 days, the rest later.
    start = date.today() - timedelta(days=300)
    stored = Licence.objects.bulk_create(
        Licence(
            exporter=exporters[n % EXPORTERS],
            kind="individual",
            number=f"{LICENCE_PREFIX}{n}",
            status="issued",
            issued_on=start,
            valid_from=start,
            valid_until=start + timedelta(days=200 + n % 400),
            source_url="https://example.org/licence",
        )
        for n in range(licences)
    )
    grades = [grade for grade, _ in Approval.EvidenceGrade.choices]
    statuses = ["approved"] * 8 + ["pending", "refused"]
    approvals = []
    for n in range(claims):
        licence = stored[n % licences]
        names = n % 10  # 0-6: the licence, 7-8: only its exporter, 9: nothing
        approvals.append(
            Approval(
                automaker=makers[n % automakers],
                exporter=licence.exporter if names < 9 else None,
                licence=licence if names < 7 else None,
                licence_kind="individual",
                status=statuses[n % len(statuses)],
                extent="some" if n % 13 == 0 else "all",
                evidence_grade=grades[n % len(grades)],
                claimed_on=start + timedelta(days=(n * 7) % 290),
                statement=f"{APPROVAL_PREFIX} {n}",
                source_url="https://example.org/claim",
            )
        )
    Approval.objects.bulk_create(approvals, batch_size=2_000)
    SupplyLink.objects.bulk_create(
        (
            SupplyLink(
                supplier_exporter=exporters[n % EXPORTERS],
                customer_importer=importers[n % IMPORTERS],
                valid_from=start,
                evidence=f"{LINK_PREFIX} {n}",
            )
            if n % 2 == 0
            else SupplyLink(
                supplier_importer=importers[n % IMPORTERS],
                customer_automaker=makers[n % automakers],
                valid_from=start,
                valid_until=start + timedelta(days=200 + n % 300),
                evidence=f"{LINK_PREFIX} {n}",
            )
        )
        for n in range(links)
    )


def bench_ids() -> dict[str, int]:
    """The ids the routes name: the bench automaker with the most claims, the bench licence
    most claims name, the exporter holding the most licences."""
    from django.db.models import Count

    from licensing.models import Automaker, Exporter, Licence

    automaker = (
        Automaker.objects.filter(name__startswith=AUTOMAKER_PREFIX)
        .annotate(claims=Count("approvals"))
        .order_by("-claims", "pk")
        .first()
    )
    licence = (
        Licence.objects.filter(number__startswith=LICENCE_PREFIX)
        .annotate(claims=Count("approvals"))
        .order_by("-claims", "pk")
        .first()
    )
    exporter = Exporter.objects.annotate(held=Count("licences")).order_by("-held", "pk").first()
    return {"automaker": automaker.pk, "licence": licence.pk, "exporter": exporter.pk}


def accounts(role: str, count: int) -> list[str]:
    """`count` users of `role` (bench-<role>-<n>, password PASSWORD), made or reset; their names."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    User = get_user_model()
    group = Group.objects.get(name=role.title())
    names = [f"bench-{role}-{n}" for n in range(count)]
    hashed = make_password(PASSWORD)  # one hash for all: each would cost a fifth of a second
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(User(username=name) for name in names if name not in existing)
    users = User.objects.filter(username__in=names)
    users.update(password=hashed, is_active=True)
    group.user_set.add(*users)
    return names


def summary(found: dict[str, int]) -> str:
    return (
        f"{found['all export records']:,} export records ({found['generated export records']:,}"
        f" generated), {found['monthly summaries']:,} monthly summaries,"
        f" {found['all licences']:,} licences, {found['all approvals']:,} approvals,"
        f" {found['all automakers']:,} automakers"
    )

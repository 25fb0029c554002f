"""After a change made around Django (SQL in psql, a restore into a running system): move on
every version the cache keys its entries by, so that pages, lists and access are computed afresh
at the next request (figures follow the newest summary rebuild, kept in the database: run
refresh_summaries after changing export records in SQL). Unlike clearing the cache, it keeps
what shares Redis with it: the Celery queue, the log-in and API throttle counts, the workers'
heartbeat."""

from __future__ import annotations

from django.apps import apps
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError

from config.access import VERSION_KEY, access_changed
from licensing.cache import licensing_changed, licensing_version


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        # The figures need nothing: their version is the newest summary rebuild, in the database.
        before = (licensing_version(), cache.get(VERSION_KEY))
        licensing_changed(*apps.get_app_config("licensing").get_models(include_auto_created=True))
        access_changed()
        after = (licensing_version(), cache.get(VERSION_KEY))
        if any(old == new for old, new in zip(before, after, strict=True)):
            # The cache (Redis) answers nothing while it is unreachable: nothing moved on.
            raise CommandError("The cache could not be reached: nothing was refreshed.")
        self.stdout.write("Every cached page, list, figure and access entry will be made afresh.")

from __future__ import annotations

from django.core.management.base import BaseCommand

from core.roles import ROLE_PERMISSIONS, roles_sync


class Command(BaseCommand):
    help = "Give the Analyst, Compliance and Manager groups exactly their defined permissions."

    def handle(self, *args, **options):
        roles_sync()
        for role, names in ROLE_PERMISSIONS.items():
            self.stdout.write(f"{role}: {len(names)} permissions")

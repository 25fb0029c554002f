from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from core.roles import ANALYST, COMPLIANCE, MANAGER

# Demo log-ins only: `make demo` runs this; no migration ever does.
DEMO_USERS = [
    ("analyst", "analyst-demo", ANALYST),
    ("compliance", "compliance-demo", COMPLIANCE),
    ("manager", "manager-demo", MANAGER),
    ("admin", "admin-demo", None),
]


class Command(BaseCommand):
    help = "Create one demo user per role (and a demo administrator) and print their log-ins."

    def handle(self, *args, **options):
        User = get_user_model()
        self.stdout.write("Demo log-ins (user / password / role):")
        for username, password, role in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.is_staff = user.is_superuser = role is None
            user.save()
            if role:
                user.groups.set([Group.objects.get(name=role)])
            self.stdout.write(f"  {username:<11} {password:<16} {role or 'Administrator'}")

from django.core.management.base import BaseCommand

from core.demo import DEMO_PASSWORD, POST_ACCOUNTS, REGION_ACCOUNTS
from core.models import User


class Command(BaseCommand):
    help = "Print the demo logins."

    def handle(self, *args, **options):
        existing = set(User.objects.values_list("username", flat=True))
        self.stdout.write(f"  Demo accounts (password for all: {DEMO_PASSWORD})")
        rows = [(u, r, p) for u, r, _region, _name, p in REGION_ACCOUNTS] + POST_ACCOUNTS
        for username, role, purpose in rows:
            if username in existing:
                self.stdout.write(f"    {username:<14} {role.label:<12} {purpose}")

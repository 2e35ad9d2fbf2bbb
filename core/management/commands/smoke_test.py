from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse

from core.demo import DEMO_PASSWORD, POST_ACCOUNTS, REGION_ACCOUNTS


class Command(BaseCommand):
    help = "Log in as every demo account through the login form and load its home page (after load_demo)."

    def handle(self, *args, **options):
        setup_test_environment()
        usernames = [row[0] for row in REGION_ACCOUNTS] + [row[0] for row in POST_ACCOUNTS]
        failures = []
        for username in usernames:
            client = Client(HTTP_HOST="127.0.0.1")
            login = client.post(reverse("core:login"), {"username": username, "password": DEMO_PASSWORD}, secure=True)
            home = client.get(reverse("core:home"), secure=True)
            if login.status_code != 302 or home.status_code != 200 or "退出" not in home.content.decode():
                failures.append(f"{username}: login {login.status_code}, home {home.status_code}")
            else:
                self.stdout.write(f"  {username}: ok")
        if failures:
            raise CommandError("; ".join(failures))

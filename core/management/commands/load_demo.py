from django.core.management.base import BaseCommand

from core.hooks import registry


class Command(BaseCommand):
    help = "Load the demo regions, organisations, people and accounts (idempotent)."

    def handle(self, *args, **options):
        for _order, loader in registry.demo_loaders:
            loader(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

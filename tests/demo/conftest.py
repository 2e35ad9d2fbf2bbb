"""The demo world (`manage.py load_demo`), loaded once for the tests of this package.

Loading takes the better part of a minute, so every test that needs the demo lives
here and shares it; it is rolled back after the package, so no other test sees it.
"""

import io

import pytest
from django.db import transaction


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker) -> str:
    """Every registered demo loader run once (core.hooks), inside a transaction rolled back afterwards."""
    from core.hooks import registry

    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        for _order, loader in registry.demo_loaders:
            loader(out)
        yield out.getvalue()
        transaction.set_rollback(True)

"""The demo world (`manage.py load_demo`), loaded once for the tests of this package.

Loading takes the better part of a minute, so every test that needs the demo lives
here and shares it; it is rolled back after the package, so no other test sees it.
Under pytest-xdist (`make test`) all of them go to one worker, which loads the demo
once: tests/conftest.py's scheduler sends the package as one unit of work.
"""

import io
from dataclasses import dataclass

import pytest
from django.db import transaction


@dataclass(frozen=True)
class Demo:
    yongshun_before: dict[str, int]  # tests/demo/yongshun.py's figures before loading (the shared world's rows)


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker) -> Demo:
    """Every registered demo loader run once (core.hooks), inside a transaction rolled back afterwards."""
    from core.hooks import registry
    from tests.demo import yongshun

    with django_db_blocker.unblock(), transaction.atomic():
        before = yongshun.numbers()
        out = io.StringIO()
        for _order, loader in registry.demo_loaders:
            loader(out)
        yield Demo(before)
        transaction.set_rollback(True)

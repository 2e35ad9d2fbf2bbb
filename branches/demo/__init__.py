"""Demo data of the branches app (loaded by `manage.py load_demo`).

One section per county of the seed reports; each is idempotent on its own
natural key (a second run finds it and skips it), and the demo accounts are
ensured every time.
"""

from django.db import connection, transaction

from branches.demo import daiyue, leshan, organisers, xupu, yongshun, yuqing


@transaction.atomic
def load(stdout) -> None:
    """Idempotent: a second run finds the data and adds nothing."""
    for section in (yongshun, leshan, yuqing, daiyue, xupu):
        section.load(stdout)
    organisers.load(stdout)  # every county's organisers first: it reads their rows
    leshan.ensure_accounts()
    # Fresh statistics: without them the planner takes the just-filled tables for empty ones
    # and picks nested loops that run for minutes (until autovacuum gets round to them).
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(TABLES)}")


TABLES = [
    "core_person",
    "branches_retiree",
    "branches_membership",
    "branches_post",
    "branches_activity",
    "branches_attendance",
    "branches_branch",
    "branches_need",
]

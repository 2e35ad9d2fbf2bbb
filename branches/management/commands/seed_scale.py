"""Copy the demo county 永顺县 N times under a province, to measure the pages at scale.

    python manage.py seed_scale --counties 100 [--province-code 43]

Each copy is a new county 规模测试县001, 002 … with sequentially numbered demo codes
(`43 90 01 000000` …, 99 counties per synthetic city `43 90`, `43 91` …) and every
row of 永顺: towns, clusters, branches, venues, people, retirees, memberships, posts,
activities, attendance, needs, guidance visits, care pairs, honours … The copy is
made by set-based SQL, one `INSERT … SELECT` per table, inside one transaction per
county; old ids are mapped to new ones in temporary tables filled from the table's
sequence. The copied people have no ID number (the column is unique, and a benchmark
needs no real one). The pghistory triggers are switched off for the copy
(`pgtrigger.ignore()`): they write one event row per row, and for 31,000 attendance
rows that took 20 of the 22 seconds a county took; the copies have no history.

Idempotent: a county whose code exists is skipped. Also ensures two province-wide
demo accounts: `sheng_laoganju` (county staff) and `shengji` (leader), both scoped
to the province.
"""

import time

import pgtrigger
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core.demo import ensure_account
from core.models import Region
from core.scoping import Role
from reports import tallies

SOURCE = "433127"  # 永顺县, loaded by `manage.py load_demo`
SOURCE_CODE = SOURCE + "000000"
COUNTIES_PER_CITY = 99
FIRST_CITY = 90

# (model label, which source rows to copy). `t` is the source table; `m_<table>` the
# temporary (old_id, new_id) maps of the tables copied before (and of the table itself).
SPEC = [
    ("core.Person", f"t.region_id LIKE '{SOURCE}%%'"),
    ("branches.WorkCommittee", f"t.region_id LIKE '{SOURCE}%%'"),
    ("branches.Cluster", f"t.region_id LIKE '{SOURCE}%%'"),
    ("branches.Venue", f"t.region_id LIKE '{SOURCE}%%'"),
    ("branches.Branch", f"t.region_id LIKE '{SOURCE}%%'"),
    ("branches.YouthCareCommittee", f"t.region_id LIKE '{SOURCE}%%'"),
    ("branches.Branch.venues", "t.branch_id IN (SELECT old_id FROM m_branches_branch)"),
    (
        "branches.YouthCareCommittee.venues",
        "t.youthcarecommittee_id IN (SELECT old_id FROM m_branches_youthcarecommittee)",
    ),
    ("branches.WorkCommitteeMember", "t.work_committee_id IN (SELECT old_id FROM m_branches_workcommittee)"),
    (
        "branches.WorkCommitteeMember.branches",
        "t.workcommitteemember_id IN (SELECT old_id FROM m_branches_workcommitteemember)",
    ),
    ("branches.GuidanceVisit", "t.branch_id IN (SELECT old_id FROM m_branches_branch)"),
    (
        "branches.Post",
        "t.branch_id IN (SELECT old_id FROM m_branches_branch)"
        " OR t.committee_id IN (SELECT old_id FROM m_branches_youthcarecommittee)",
    ),
    ("branches.Retiree", "t.person_id IN (SELECT old_id FROM m_core_person)"),
    ("branches.Membership", "t.retiree_id IN (SELECT old_id FROM m_branches_retiree)"),
    ("branches.CommunityCheckin", f"t.community_id LIKE '{SOURCE}%%'"),
    ("branches.GovernanceRole", f"t.region_id LIKE '{SOURCE}%%'"),
    ("branches.CarePair", "t.retiree_id IN (SELECT old_id FROM m_branches_retiree)"),
    ("branches.CareRecord", "t.care_pair_id IN (SELECT old_id FROM m_branches_carepair)"),
    ("branches.HardshipPayment", "t.retiree_id IN (SELECT old_id FROM m_branches_retiree)"),
    (
        "branches.Need",
        "t.branch_id IN (SELECT old_id FROM m_branches_branch)"
        " OR t.retiree_id IN (SELECT old_id FROM m_branches_retiree)",
    ),
    # Every organiser's activities: the row carries its organiser's region.
    ("branches.Activity", f"t.region_id LIKE '{SOURCE}%%'"),
    ("branches.Attendance", "t.activity_id IN (SELECT old_id FROM m_branches_activity)"),
    ("branches.ActivityPhoto", "t.activity_id IN (SELECT old_id FROM m_branches_activity)"),
    ("branches.ActivityAttachment", "t.activity_id IN (SELECT old_id FROM m_branches_activity)"),
    ("branches.ComplianceRule", f"t.region_id LIKE '{SOURCE}%%'"),
    (
        "branches.Honour",
        "t.branch_id IN (SELECT old_id FROM m_branches_branch)"
        " OR t.committee_id IN (SELECT old_id FROM m_branches_youthcarecommittee)"
        " OR t.person_id IN (SELECT old_id FROM m_core_person)",
    ),
    ("branches.AssessmentScheme", f"t.region_id LIKE '{SOURCE}%%'"),
    ("branches.AssessmentCriterion", "t.scheme_id IN (SELECT old_id FROM m_branches_assessmentscheme)"),
    (
        "branches.Assessment",
        "t.branch_id IN (SELECT old_id FROM m_branches_branch)"
        " OR t.committee_id IN (SELECT old_id FROM m_branches_youthcarecommittee)",
    ),
    ("branches.AssessmentItem", "t.assessment_id IN (SELECT old_id FROM m_branches_assessment)"),
    (
        "branches.AssessmentItem.activities",
        "t.assessmentitem_id IN (SELECT old_id FROM m_branches_assessmentitem)",
    ),
    ("branches.AssessmentItem.needs", "t.assessmentitem_id IN (SELECT old_id FROM m_branches_assessmentitem)"),
]
OVERRIDES = {"core_person": {"id_number": "''"}}
ANALYZE = [
    "reports_activitytally",
    "core_region",
    "core_person",
    "branches_branch",
    "branches_cluster",
    "branches_venue",
    "branches_retiree",
    "branches_membership",
    "branches_post",
    "branches_activity",
    "branches_attendance",
    "branches_activitypresence",
    "branches_need",
    "branches_guidancevisit",
]


def _model(label: str):
    """A model, or the through model of `app.Model.m2m_field`."""
    app_label, model_name, *field = label.split(".")
    model = apps.get_model(app_label, model_name)
    return model._meta.get_field(field[0]).remote_field.through if field else model


def county_code(number: int, province: str = "43") -> str:
    """The demo code of the n-th test county (1-based): 99 counties per synthetic city."""
    city = FIRST_CITY + (number - 1) // COUNTIES_PER_CITY
    return f"{province}{city:02d}{(number - 1) % COUNTIES_PER_CITY + 1:02d}000000"


def _region_expr(column: str, prefix: str) -> str:
    return f"CASE WHEN t.{column} LIKE '{SOURCE}%%' THEN '{prefix}' || substr(t.{column}, 7) ELSE t.{column} END"


def copy_county(cursor, code: str, name: str) -> dict[str, int]:
    """Copy every row of 永顺 into the county `code` (which must not exist). Returns rows per table."""
    prefix = code[:6]
    city = code[:4] + "00000000"
    cursor.execute(
        "INSERT INTO core_region (code, name, level, parent_id, is_demo_code)"
        " SELECT %s || substr(code, 7),"
        " CASE WHEN code = %s THEN %s ELSE name END,"
        " level,"
        " CASE WHEN code = %s THEN %s ELSE %s || substr(parent_id, 7) END,"
        " TRUE"
        " FROM core_region WHERE code LIKE %s",
        [prefix, SOURCE_CODE, name, SOURCE_CODE, city, prefix, SOURCE + "%"],
    )
    counts = {"core_region": cursor.rowcount}

    mapped: set[str] = set()
    for label, where in SPEC:
        model = _model(label)
        table = model._meta.db_table
        sequence = f"pg_get_serial_sequence('{table}', 'id')"
        cursor.execute(f"DROP TABLE IF EXISTS m_{table}")  # inside an outer transaction (tests)
        cursor.execute(
            f"CREATE TEMP TABLE m_{table} ON COMMIT DROP AS"  # noqa: S608 (names from the models)
            f" SELECT t.id AS old_id, nextval({sequence}) AS new_id FROM {table} t WHERE {where}",
            [],  # always parameters, so `%%` means `%` with and without pgtrigger.ignore's wrapper
        )
        cursor.execute(f"CREATE UNIQUE INDEX ON m_{table} (old_id)")
        cursor.execute(f"ANALYZE m_{table}")
        mapped.add(table)
        columns, expressions, joins = [], [], []
        for field in model._meta.concrete_fields:
            column = field.column
            columns.append(f'"{column}"')
            if column in OVERRIDES.get(table, {}):
                expressions.append(OVERRIDES[table][column])
            elif field.primary_key:
                expressions.append("m.new_id")
            elif field.is_relation and field.related_model._meta.db_table == "core_region":
                expressions.append(_region_expr(column, prefix))
            elif field.is_relation and field.related_model._meta.db_table in mapped:
                target = field.related_model._meta.db_table
                joins.append(f"LEFT JOIN m_{target} j_{column} ON j_{column}.old_id = t.{column}")
                expressions.append(f"COALESCE(j_{column}.new_id, t.{column})")
            else:
                expressions.append(f't."{column}"')
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)})"  # noqa: S608 (names from the models)
            f" SELECT {', '.join(expressions)} FROM {table} t JOIN m_{table} m ON m.old_id = t.id {' '.join(joins)}",
            [],
        )
        counts[table] = cursor.rowcount
    # pgtrigger.ignore() kept Attendance's presence trigger quiet too: the copies' counts are the source's.
    cursor.execute(
        "INSERT INTO branches_activitypresence (activity_id, present, caught_up)"
        " SELECT m.new_id, p.present, p.caught_up FROM branches_activitypresence p"
        " JOIN m_branches_activity m ON m.old_id = p.activity_id",
        [],
    )
    return counts


class Command(BaseCommand):
    help = "Copy the demo county 永顺县 into N synthetic counties of a province (benchmark at scale)."

    def add_arguments(self, parser):
        parser.add_argument("--counties", type=int, required=True)
        parser.add_argument("--province-code", default="43", help="two digits (default 43, 湖南省)")

    def handle(self, *args, counties, province_code, **options):
        if len(province_code) != 2 or not province_code.isdigit():
            raise CommandError("--province-code takes the two province digits, e.g. 43")
        if counties < 0 or FIRST_CITY + (counties - 1) // COUNTIES_PER_CITY > 99:
            raise CommandError(f"--counties must be between 0 and {(100 - FIRST_CITY) * COUNTIES_PER_CITY}")
        if not Region.objects.filter(code=SOURCE_CODE).exists():
            call_command("load_demo", stdout=self.stdout)
        province = province_code + "0" * 10
        Region.objects.get_or_create(code=province, defaults={"name": "规模测试省", "level": "province"})
        ensure_account(
            "sheng_laoganju", role=Role.COUNTY_STAFF, region_id=province, last_name="省委老干部局（规模测试）"
        )
        ensure_account("shengji", role=Role.LEADER, region_id=province, last_name="省领导（规模测试）")
        started = time.perf_counter()
        created = 0
        for number in range(1, counties + 1):
            code = county_code(number, province_code)
            name = f"规模测试县{number:03d}"
            if Region.objects.filter(code=code).exists():
                self.stdout.write(f"  {code} {name}: present, skipped")
                continue
            start = time.perf_counter()
            with transaction.atomic(), pgtrigger.ignore():
                city = code[:4] + "00000000"
                Region.objects.get_or_create(
                    code=city,
                    defaults={
                        "name": f"规模测试市{city[2:4]}",
                        "level": "city",
                        "parent_id": province,
                        "is_demo_code": True,
                    },
                )
                with connection.cursor() as cursor:
                    counts = copy_county(cursor, code, name)
            created += 1
            self.stdout.write(
                f"  {code} {name}: {counts['branches_branch']} branches, {counts['branches_retiree']} retirees,"
                f" {counts['branches_activity']} activities, {counts['branches_attendance']} attendance"
                f" in {time.perf_counter() - start:.1f} s"
            )
        if created:
            # The copies bypass the database's own summaries' triggers: the reports' tallies are
            # made again from the rows.
            tallies.rebuild()
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {', '.join(ANALYZE)}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{created} counties created in {time.perf_counter() - started:.1f} s; {counties - created} present."
            )
        )

"""Copy the demo county 永顺县, grown to a real county's size, N times under a province.

    python manage.py seed_scale --counties 100 [--province-code 43] [--growth 1.0] [--seed 0] [--workers 2]

**Growth** (once, before the first copy). The demo's 永顺 has the branches app's rows
(52 branches, 1,500 retirees, 2,700 activities) and no youth-care committee, volunteer,
child or aid case. `grow()` fills `--growth` of the gap to a county of the target size
(`TARGETS`: 30,000 activities over five years, 2,000 volunteers, 50,000 confirmed service
records, 1,000 children with a case each, 10,000 disbursements over five years): it
gives 永顺 a county committee and a committee per town (their names' pinyin through the
ORM), then adds the rows by set-based SQL over `generate_series`, each new row cloned
from a template row of the same table in any demo county with its keys, region, dates
and amounts overridden. Nothing is random: the template and the spread of dates follow
the row's number (and `--seed`), so a seed gives the same rows on the same day. Hours
never pass 24 a day per volunteer (each volunteer has at most two rows on a day, of at
most 7.9 hours), nothing is dated after today, an activity's roll is a share of its
branch's current members and `ActivityPresence` is set from the roll. The table
`seed_scale_grown` records that 永顺 was grown, so the next run does not grow it again;
once copies exist growth is skipped (the copies would no longer equal their source).

**Copies.** Each copy is a new county 规模测试县001, 002 … with sequentially numbered demo
codes (`43 90 01 000000` …, 99 counties per synthetic city `43 90`, `43 91` …) and every
row of 永顺 in every app (`SPEC`, in foreign-key order). The rows to copy are numbered
once per session (`m_<table>`: old id → position); ids for all the counties of a run are
taken from each table's sequence in one block, so a copy's id is `block + county × rows +
position + 1` and no row asks the sequence. One `INSERT … SELECT` per table copies several
counties at once (the source rows `CROSS JOIN` the batch's counties), one transaction per
batch, and `--workers` connections copy disjoint batches side by side. Foreign keys to a
copied table follow the copy; denormalised region codes (`region_code`, `county_code`) and
region keys move to the copy's code prefix; unique columns stay unique (`OVERRIDES`:
people's ID numbers are blanked, certificate numbers and credit codes take the county's
prefix). The copies run under `session_replication_role = replica`: no pghistory event
per row (31,000 attendance rows took 20 of the 22 seconds a county once took), no
per-row FK check, no derived-column trigger; the copy writes what those triggers would
(presence counts, region codes) itself, and tests/demo/test_seed_scale.py checks every
foreign key afterwards. The copies have no history.

Idempotent: a county whose code exists is skipped. Also ensures two province-wide demo
accounts: `sheng_laoganju` (county staff) and `shengji` (leader), both scoped to the
province.
"""

# ruff: noqa: S608 (statements are built from the models' table names and our own numbers, never from input)

import math
import threading
import time

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
BATCH = 4  # counties per statement
GROWN = "seed_scale_grown"

IN_SOURCE = "LIKE '{p}%'"


def _in(table: str, column: str) -> str:
    return f"t.{column} IN (SELECT old_id FROM {{m}}{table})"


# (model label, which rows of the county with code prefix `{p}` to copy). `t` is the table;
# `{m}<table>` the temporary (old_id, idx) maps of the tables numbered before (and of the table itself).
SPEC = [
    ("core.Person", f"t.region_id {IN_SOURCE}"),
    ("branches.WorkCommittee", f"t.region_id {IN_SOURCE}"),
    ("branches.Cluster", f"t.region_id {IN_SOURCE}"),
    ("branches.Venue", f"t.region_id {IN_SOURCE}"),
    ("branches.Branch", f"t.region_id {IN_SOURCE}"),
    ("branches.YouthCareCommittee", f"t.region_id {IN_SOURCE}"),
    ("branches.Branch.venues", _in("branches_branch", "branch_id")),
    ("branches.YouthCareCommittee.venues", _in("branches_youthcarecommittee", "youthcarecommittee_id")),
    ("branches.WorkCommitteeMember", _in("branches_workcommittee", "work_committee_id")),
    ("branches.WorkCommitteeMember.branches", _in("branches_workcommitteemember", "workcommitteemember_id")),
    ("branches.WorkCommitteeMember.clusters", _in("branches_workcommitteemember", "workcommitteemember_id")),
    ("branches.GuidanceVisit", _in("branches_branch", "branch_id")),
    (
        "branches.Post",
        f"{_in('branches_branch', 'branch_id')} OR {_in('branches_youthcarecommittee', 'committee_id')}",
    ),
    ("branches.Retiree", _in("core_person", "person_id")),
    ("branches.Membership", _in("branches_retiree", "retiree_id")),
    ("branches.Participation", _in("branches_branch", "branch_id")),
    ("branches.TransferRequest", _in("branches_branch", "to_branch_id")),
    ("branches.CommunityCheckin", f"t.community_id {IN_SOURCE}"),
    ("branches.GovernanceRole", f"t.region_id {IN_SOURCE}"),
    ("branches.CarePair", _in("branches_retiree", "retiree_id")),
    ("branches.CareRecord", _in("branches_carepair", "care_pair_id")),
    ("branches.HardshipPayment", _in("branches_retiree", "retiree_id")),
    ("branches.Need", f"{_in('branches_branch', 'branch_id')} OR {_in('branches_retiree', 'retiree_id')}"),
    # Every organiser's activities: the row carries its organiser's region.
    ("branches.Activity", f"t.region_id {IN_SOURCE}"),
    ("branches.Attendance", _in("branches_activity", "activity_id")),
    ("branches.ActivityPhoto", _in("branches_activity", "activity_id")),
    ("branches.ActivityAttachment", _in("branches_activity", "activity_id")),
    ("branches.ComplianceRule", f"t.region_id {IN_SOURCE}"),
    (
        "branches.Honour",
        f"{_in('branches_branch', 'branch_id')} OR {_in('branches_youthcarecommittee', 'committee_id')}"
        f" OR {_in('core_person', 'person_id')}",
    ),
    ("branches.AssessmentScheme", f"t.region_id {IN_SOURCE}"),
    ("branches.AssessmentCriterion", _in("branches_assessmentscheme", "scheme_id")),
    (
        "branches.Assessment",
        f"{_in('branches_branch', 'branch_id')} OR {_in('branches_youthcarecommittee', 'committee_id')}",
    ),
    ("branches.AssessmentItem", _in("branches_assessment", "assessment_id")),
    ("branches.AssessmentItem.activities", _in("branches_assessmentitem", "assessmentitem_id")),
    ("branches.AssessmentItem.needs", _in("branches_assessmentitem", "assessmentitem_id")),
    # volunteers
    ("volunteers.Volunteer", _in("branches_youthcarecommittee", "committee_id")),
    (
        "volunteers.Team",
        f"{_in('branches_youthcarecommittee', 'committee_id')} OR {_in('branches_branch', 'branch_id')}",
    ),
    ("volunteers.TeamMembership", _in("volunteers_team", "team_id")),
    ("volunteers.Studio", _in("branches_youthcarecommittee", "committee_id")),
    ("volunteers.Studio.members", _in("volunteers_studio", "studio_id")),
    ("volunteers.ServiceRecord", _in("branches_youthcarecommittee", "committee_id")),
    ("volunteers.ServiceHours", _in("volunteers_servicerecord", "record_id")),
    ("volunteers.ServicePhoto", _in("volunteers_servicerecord", "record_id")),
    ("volunteers.Suggestion", _in("branches_youthcarecommittee", "committee_id")),
    ("volunteers.Suggestion.volunteers", _in("volunteers_suggestion", "suggestion_id")),
    ("volunteers.Suggestion.retirees", _in("volunteers_suggestion", "suggestion_id")),
    ("volunteers.ServiceCertificate", _in("volunteers_volunteer", "volunteer_id")),
    # aid_cases
    ("aid_cases.Child", f"t.region_id {IN_SOURCE}"),
    ("aid_cases.Guardian", _in("aid_cases_child", "child_id")),
    ("aid_cases.Consent", _in("aid_cases_child", "child_id")),
    ("aid_cases.Programme", _in("branches_youthcarecommittee", "committee_id")),
    ("aid_cases.AidCase", _in("aid_cases_child", "child_id")),
    ("aid_cases.CaseEvent", _in("aid_cases_aidcase", "case_id")),
    ("aid_cases.Sponsor", f"t.region_id {IN_SOURCE}"),
    ("aid_cases.Pairing", _in("aid_cases_aidcase", "case_id")),
    ("aid_cases.PairingSupport", _in("aid_cases_pairing", "pairing_id")),
    ("aid_cases.PairingPause", _in("aid_cases_pairing", "pairing_id")),
    ("aid_cases.Disbursement", _in("aid_cases_aidcase", "case_id")),
    ("aid_cases.DisbursementItem", _in("aid_cases_disbursement", "disbursement_id")),
    ("aid_cases.MonthClosing", _in("branches_youthcarecommittee", "committee_id")),
    ("aid_cases.CareVisit", _in("branches_youthcarecommittee", "committee_id")),
    ("aid_cases.CareVisit.children", _in("aid_cases_carevisit", "carevisit_id")),
    ("aid_cases.CareVisit.visitors", _in("aid_cases_carevisit", "carevisit_id")),
    ("aid_cases.Drive", _in("branches_youthcarecommittee", "committee_id")),
    ("aid_cases.Donation", _in("aid_cases_drive", "drive_id")),
    ("aid_cases.Payout", _in("aid_cases_drive", "drive_id")),
    # funds
    ("funds.Ledger", f"t.region_code {IN_SOURCE}"),
    ("funds.VoucherCounter", _in("funds_ledger", "ledger_id")),
    ("funds.FundEntry", _in("funds_ledger", "ledger_id")),
    ("funds.LedgerMonthClose", _in("funds_ledger", "ledger_id")),
    ("funds.AllowancePayment", _in("funds_fundentry", "entry_id")),
    ("funds.Budget", _in("funds_ledger", "ledger_id")),
]
# Models of the copied apps that a copy leaves out, and why (tests/demo/test_seed_scale.py
# checks that every model is either in SPEC or here).
NOT_COPIED = {
    "branches.ActivityPresence": "kept from the source's counts by copy_batch (its key is the activity)",
    "aid_cases.ChildAccessLog": "who looked at a child's record: an audit of real users, not county data",
}
# Text columns holding a region code (derived, for indexed scoping): moved like region keys.
REGION_CODE_COLUMNS = {"region_code", "county_code"}
# Per table, columns the copy computes from the county's code prefix `p` (an SQL expression):
# unique columns stay unique. `left(…)` keeps them within max_length.
OVERRIDES = {
    "core_person": {"id_number": lambda p: "''"},
    "branches_transferrequest": {"id_number": lambda p: "''"},
    # max_length 40, unique
    "volunteers_servicecertificate": {"number": lambda p: f"left(t.number, 33) || '-' || {p}"},
    # max_length 18, unique where not empty, required for enterprises
    "aid_cases_sponsor": {
        "credit_code": lambda p: f"CASE WHEN t.credit_code = '' THEN '' ELSE left(t.credit_code, 12) || {p} END"
    },
}
# Per county at growth 1.0 (the county): what grow() fills the gap to.
TARGETS = {
    "activities": 30_000,
    "volunteers": 2_000,
    "service_records": 50_000,
    "children": 1_000,
    "disbursements": 10_000,
}
YEARS = 5
ROLL = 10  # people on a grown activity's roll


def _model(label: str):
    """A model, or the through model of `app.Model.m2m_field`."""
    app_label, model_name, *field = label.split(".")
    model = apps.get_model(app_label, model_name)
    return model._meta.get_field(field[0]).remote_field.through if field else model


def copied_tables() -> list[str]:
    return [_model(label)._meta.db_table for label, _ in SPEC]


def county_code(number: int, province: str = "43") -> str:
    """The demo code of the n-th test county (1-based): 99 counties per synthetic city."""
    city = FIRST_CITY + (number - 1) // COUNTIES_PER_CITY
    return f"{province}{city:02d}{(number - 1) % COUNTIES_PER_CITY + 1:02d}000000"


def _region_expr(column: str) -> str:
    return f"CASE WHEN t.{column} LIKE '{SOURCE}%' THEN b.prefix || substr(t.{column}, 7) ELSE t.{column} END"


def _scalar(cursor, sql: str):
    cursor.execute(sql)
    return cursor.fetchone()[0]


# --- Copies ----------------------------------------------------------------------------------
def number_source(cursor, prefix: str = SOURCE, maps: str = "m_") -> dict[str, int]:
    """Number the rows of the county `prefix` (永顺) per table (`<maps><table>`: old_id → idx from
    0, in id order) in this session; the same rows give every connection the same numbering.
    Returns rows per table (the tests number a copy the same way and compare)."""
    counts = {}
    for label, where in SPEC:
        table = _model(label)._meta.db_table
        cursor.execute(f"DROP TABLE IF EXISTS {maps}{table}")
        cursor.execute(
            f"CREATE TEMP TABLE {maps}{table} AS SELECT t.id AS old_id, row_number() OVER (ORDER BY t.id) - 1 AS idx"
            f" FROM {table} t WHERE {where.format(p=prefix, m=maps)}"
        )
        counts[table] = cursor.rowcount
        cursor.execute(f"ALTER TABLE {maps}{table} ADD PRIMARY KEY (old_id)")
        cursor.execute(f"ANALYZE {maps}{table}")
    return counts


def reserve_ids(cursor, counts: dict[str, int], counties: int) -> dict[str, int]:
    """Take `counties × rows` ids of each table's sequence at once; returns the id before each block.

    One statement per table (`setval(nextval + n - 1)`): run it while nothing else writes there."""
    bases = {}
    for table, rows in counts.items():
        if rows and counties:
            total = rows * counties
            last = _scalar(
                cursor,
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" nextval(pg_get_serial_sequence('{table}', 'id')) + {total} - 1)",
            )
            bases[table] = last - total
    return bases


def copy_batch(cursor, batch: list[tuple[int, str, str]], counts, bases) -> dict[str, int]:
    """Copy 永顺 into each county of `batch` ((slot, code, name); slot = the county's block in
    `bases`) with one statement per table. Returns rows per table over the batch."""
    values = ", ".join(f"({slot}, '{code[:6]}', '{code}', '{name}')" for slot, code, name in batch)
    counties = f"(VALUES {values}) AS b(slot, prefix, code, name)"
    cursor.execute(
        "INSERT INTO core_region (code, name, level, parent_id, is_demo_code)"
        f" SELECT b.prefix || substr(t.code, 7),"
        f" CASE WHEN t.code = '{SOURCE_CODE}' THEN b.name ELSE t.name END,"
        " t.level,"
        f" CASE WHEN t.code = '{SOURCE_CODE}' THEN left(b.code, 4) || '00000000'"
        " ELSE b.prefix || substr(t.parent_id, 7) END,"
        " TRUE"
        f" FROM core_region t CROSS JOIN {counties} WHERE t.code LIKE '{SOURCE}%'"
    )
    done = {"core_region": cursor.rowcount}

    def new_id(table: str, alias: str) -> str:
        return f"{bases[table]} + b.slot * {counts[table]} + {alias}.idx + 1"

    numbered = {table for table, rows in counts.items() if rows}
    for label, _where in SPEC:
        model = _model(label)
        table = model._meta.db_table
        if not counts[table]:
            continue
        columns, expressions, joins = [], [], []
        for field in model._meta.concrete_fields:
            column = field.column
            columns.append(f'"{column}"')
            target = field.related_model._meta.db_table if field.is_relation else None
            if column in OVERRIDES.get(table, {}):
                expressions.append(OVERRIDES[table][column]("b.prefix"))
            elif field.primary_key:
                expressions.append(new_id(table, "m"))
            elif target == "core_region" or column in REGION_CODE_COLUMNS:
                expressions.append(_region_expr(column))
            elif target in numbered:
                joins.append(f"LEFT JOIN m_{target} j_{column} ON j_{column}.old_id = t.{column}")
                expressions.append(
                    f"CASE WHEN j_{column}.idx IS NULL THEN t.{column} ELSE {new_id(target, f'j_{column}')} END"
                )
            else:
                expressions.append(f't."{column}"')
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)})"
            f" SELECT {', '.join(expressions)} FROM {table} t JOIN m_{table} m ON m.old_id = t.id"
            f" CROSS JOIN {counties} {' '.join(joins)}"
        )
        done[table] = cursor.rowcount
    # The trigger that keeps ActivityPresence was off: the copies' counts are the source's.
    cursor.execute(
        "INSERT INTO branches_activitypresence (activity_id, present, caught_up)"
        f" SELECT {new_id('branches_activity', 'm')}, p.present, p.caught_up FROM branches_activitypresence p"
        f" JOIN m_branches_activity m ON m.old_id = p.activity_id CROSS JOIN {counties}"
    )
    return done


def check_spec_order() -> None:
    """A foreign key to a table copied later would keep pointing into 永顺: refuse such a SPEC."""
    order = {table: n for n, table in enumerate(copied_tables())}
    for label, _ in SPEC:
        model = _model(label)
        for field in model._meta.concrete_fields:
            target = field.related_model._meta.db_table if field.is_relation else None
            if target in order and order[target] > order[model._meta.db_table]:
                raise CommandError(f"seed_scale SPEC: {label}.{field.name} points at {target}, copied later")


# --- Growth ----------------------------------------------------------------------------------
def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name = %s ORDER BY ordinal_position",
            [table],
        )
        return [row[0] for row in cursor.fetchall()]


def clone(cursor, table: str, n: int, template: str, overrides: dict[str, str], joins: str = "", seed: int = 0):
    """Insert `n` rows into `table`, row `g.i` (0 … n-1) copying template row `(g.i + seed) mod T` of
    `SELECT * FROM table t WHERE template` except the `overrides` (SQL over `g.i`, `t.` and the
    `joins`). Ids come in one block; returns the id before it (row i has id base + i + 1)."""
    if n <= 0:
        return None
    size = _scalar(cursor, f"SELECT count(*) FROM {table} t WHERE {template}")
    if not size:
        raise CommandError(f"seed_scale --growth: no template row in {table} ({template})")
    base = reserve_ids(cursor, {table: n}, 1)[table]
    defaults = {"id": f"{base} + g.i + 1", "archived_at": "NULL", "archived_by_id": "NULL", "version": "1"}
    columns = _columns(table)
    expressions = [overrides.get(c, defaults.get(c, f't."{c}"')) for c in columns]
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(columns)})"
        f" SELECT {', '.join(expressions)} FROM generate_series(0, {n - 1}) AS g(i)"
        f" JOIN (SELECT t.*, row_number() OVER (ORDER BY t.id) - 1 AS tn FROM {table} t WHERE {template}) t"
        f" ON t.tn = (g.i + {seed}) % {size} {joins}"
    )
    return base


def _gap(have: int, target: int, growth: float) -> int:
    return round(max(target - have, 0) * growth)


def _committees(stdout) -> int:
    """永顺's county committee and one per town, as the other demo counties have them (through
    the ORM: the names' pinyin keys are derived); those there already are kept."""
    from branches.models import YouthCareCommittee

    Level = YouthCareCommittee.Level
    county = Region.objects.get(code=SOURCE_CODE)
    top = YouthCareCommittee.all_objects.filter(region=county, level=Level.COUNTY).order_by("pk").first()
    if top is None:
        top = YouthCareCommittee.all_objects.create(
            name=f"{county.name}关工委", level=Level.COUNTY, region=county, founded_on="2010-06-01"
        )
    served = YouthCareCommittee.all_objects.filter(level=Level.TOWN, region__code__startswith=SOURCE)
    towns = Region.objects.filter(code__startswith=SOURCE, level=Region.Level.TOWN).exclude(
        code__in=served.values("region_id")
    )
    created = YouthCareCommittee.all_objects.bulk_create(
        YouthCareCommittee(
            name=f"{town.name}关工委", level=Level.TOWN, region=town, parent=top, founded_on="2012-03-01"
        )
        for town in towns.order_by("code")
    )
    stdout.write(f"  {county.name}: {len(created)} town youth-care committees added")
    return top.pk


def grow(cursor, growth: float, seed: int, stdout) -> dict[str, int]:
    """Grow 永顺 towards TARGETS (see the module's docstring). Runs inside the caller's transaction,
    with triggers off. Returns the rows added per kind."""
    added = {}
    top = _committees(stdout)
    # Each town once, with its (first) town committee: volunteers, service records and cases go there.
    cursor.execute("DROP TABLE IF EXISTS g_committee")
    cursor.execute(
        "CREATE TEMP TABLE g_committee AS SELECT row_number() OVER (ORDER BY region_id) - 1 AS k, id, region_id"
        " FROM (SELECT DISTINCT ON (region_id) id, region_id FROM branches_youthcarecommittee"
        f" WHERE region_id LIKE '{SOURCE}%' AND level = 'town' AND archived_at IS NULL ORDER BY region_id, id) c"
    )
    committees = cursor.rowcount
    today = "current_date"
    outside = f"NOT LIKE '{SOURCE}%'"

    # Activities: branch activities over five years, rolls among the branch's current members.
    have = _scalar(cursor, f"SELECT count(*) FROM branches_activity WHERE region_id LIKE '{SOURCE}%'")
    n = added["activities"] = _gap(have, TARGETS["activities"], growth)
    if n:
        cursor.execute("DROP TABLE IF EXISTS g_branch")
        cursor.execute(
            "CREATE TEMP TABLE g_branch AS SELECT row_number() OVER (ORDER BY b.id) - 1 AS k, b.id, b.region_id,"
            " count(*) AS members FROM branches_branch b JOIN branches_membership ms ON ms.branch_id = b.id"
            " AND ms.end_on IS NULL AND ms.archived_at IS NULL"
            f" WHERE b.region_id LIKE '{SOURCE}%' AND b.archived_at IS NULL GROUP BY b.id"
        )
        branches = cursor.rowcount
        per = math.ceil(n / branches)
        days = 365 * YEARS
        base = clone(
            cursor,
            "branches_activity",
            n,
            f"t.region_id LIKE '{SOURCE}%' AND t.organiser_type = 'branch' AND t.archived_at IS NULL",
            {
                "branch_id": "gb.id",
                "region_id": "gb.region_id",
                "cluster_id": "NULL",
                "work_committee_id": "NULL",
                "committee_id": "NULL",
                "held_on": f"{today} - 1 - (g.i / {branches}) * {days} / {per}",
            },
            f"JOIN g_branch gb ON gb.k = g.i % {branches}",
            seed,
        )
        # The roll: every `stride`-th current member (about ROLL of them, as many as the demo's
        # rolls average), one in ten absent.
        stride = f"greatest((gb.members + {ROLL - 1}) / {ROLL}, 1)"
        cursor.execute("DROP TABLE IF EXISTS g_roll")
        cursor.execute(
            "CREATE TEMP TABLE g_roll AS"
            f" SELECT {base} + g.i + 1 AS activity_id, r.person_id,"
            " CASE WHEN (r.pos + g.i) % 10 = 0 THEN 'absent' ELSE 'present' END AS status,"
            " row_number() OVER (ORDER BY g.i, r.person_id) - 1 AS n"
            f" FROM generate_series(0, {n - 1}) AS g(i) JOIN g_branch gb ON gb.k = g.i % {branches}"
            " JOIN (SELECT ms.branch_id, rt.person_id,"
            " row_number() OVER (PARTITION BY ms.branch_id ORDER BY rt.id) - 1 AS pos"
            " FROM branches_membership ms JOIN branches_retiree rt ON rt.id = ms.retiree_id"
            " WHERE ms.end_on IS NULL AND ms.archived_at IS NULL) r ON r.branch_id = gb.id"
            f" AND r.pos % {stride} = g.i % {stride}"
        )
        rolls = cursor.rowcount
        first = reserve_ids(cursor, {"branches_attendance": rolls}, 1)["branches_attendance"]
        cursor.execute(
            "INSERT INTO branches_attendance (id, created_at, updated_at, archived_at, version, status,"
            " absence_reason, caught_up_on, activity_id, archived_by_id, person_id)"
            f" SELECT {first} + n + 1, now(), now(), NULL, 1, status,"
            " CASE WHEN status = 'absent' THEN '因病请假' ELSE '' END, NULL, activity_id, NULL, person_id FROM g_roll"
        )
        added["attendance"] = rolls
        cursor.execute(
            "INSERT INTO branches_activitypresence (activity_id, present, caught_up)"
            " SELECT activity_id, count(*), 0 FROM g_roll WHERE status = 'present' GROUP BY activity_id"
        )

    # Volunteers: 永顺's retirees first (one Person, two roles), then new people.
    have = _scalar(cursor, f"SELECT count(*) FROM volunteers_volunteer WHERE county_code = '{SOURCE_CODE}'")
    volunteers = added["volunteers"] = _gap(have, TARGETS["volunteers"], growth)
    if volunteers:
        cursor.execute("DROP TABLE IF EXISTS g_retiree")
        cursor.execute(
            "CREATE TEMP TABLE g_retiree AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, person_id"
            f" FROM branches_retiree r WHERE region_code LIKE '{SOURCE}%' AND archived_at IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM volunteers_volunteer v WHERE v.person_id = r.person_id)"
        )
        retirees = cursor.rowcount
        extra = max(volunteers - retirees, 0)
        people = clone(
            cursor,
            "core_person",
            extra,
            f"t.region_id LIKE '{SOURCE}%' AND t.birth_date < {today} - 20000",
            {"id_number": "''", "mobile": "''"},
            seed=seed,
        )
        vbase = clone(
            cursor,
            "volunteers_volunteer",
            volunteers,
            f"t.county_code {outside}",
            {
                "person_id": f"COALESCE(gr.person_id, {people or 0} + g.i - {retirees} + 1)",
                "retiree_id": "gr.id",
                "committee_id": "gc.id",
                "region_id": "gc.region_id",
                "county_code": f"'{SOURCE_CODE}'",
                "number": "'YSG' || lpad((g.i + 1)::text, 5, '0')",
                "registered_on": f"{today} - {365 * YEARS + 30} - g.i % 300",
                "status": "'active'",
                "status_on": "NULL",
                "status_reason": "''",
            },
            f"LEFT JOIN g_retiree gr ON gr.k = g.i JOIN g_committee gc ON gc.k = g.i % {committees}",
            seed,
        )
        # Service records: volunteer v's j-th record is on day j·spacing + v mod spacing before today,
        # so a volunteer's own records fall on distinct days; every third also has the next volunteer
        # (at most one more row on a day: two rows of ≤ 7.9 h).
        records = added["service_records"] = _gap(0, TARGETS["service_records"], growth)
        spacing = max(365 * YEARS // math.ceil(records / volunteers), 1)
        day = f"(g.i / {volunteers}) * {spacing} + (g.i % {volunteers}) % {spacing}"
        rbase = clone(
            cursor,
            "volunteers_servicerecord",
            records,
            f"t.region_id {outside}",
            {
                "committee_id": "gc.id",
                "region_id": "gc.region_id",
                "team_id": "NULL",
                "served_on": f"{today} - 1 - ({day})",
                "status": "'confirmed'",
                "confirmed_at": f"({today} - ({day}))::timestamptz + interval '10 hours'",
                "confirmed_by_id": "COALESCE(t.confirmed_by_id, t.recorded_by_id)",
                "return_reason": "''",
            },
            f"JOIN g_committee gc ON gc.k = (g.i % {volunteers}) % {committees}",
            seed,
        )
        hours = "1 + ((g.i * 7) % 70) / 10.0"
        first = reserve_ids(cursor, {"volunteers_servicehours": records + records // 3 + 1}, 1)[
            "volunteers_servicehours"
        ]
        cursor.execute(
            "INSERT INTO volunteers_servicehours (id, hours, record_id, volunteer_id)"
            f" SELECT {first} + g.i + 1, {hours}, {rbase} + g.i + 1, {vbase} + g.i % {volunteers} + 1"
            f" FROM generate_series(0, {records - 1}) AS g(i)"
            f" UNION ALL SELECT {first} + {records} + g.i / 3 + 1, {hours}, {rbase} + g.i + 1,"
            f" {vbase} + (g.i + 1) % {volunteers} + 1"
            f" FROM generate_series(0, {records - 1}) AS g(i) WHERE g.i % 3 = 0 AND {volunteers} > 1"
        )
        added["service_hours"] = cursor.rowcount

    # Children, each with a case in one of the county's programmes, and disbursements over five years.
    have = _scalar(cursor, f"SELECT count(*) FROM aid_cases_child WHERE region_id LIKE '{SOURCE}%'")
    children = added["children"] = _gap(have, TARGETS["children"], growth)
    if children:
        kids = "SELECT person_id FROM aid_cases_child"
        people = clone(
            cursor,
            "core_person",
            children,
            f"t.id IN ({kids})",
            {"id_number": "''", "mobile": "''", "region_id": "gc.region_id"},
            f"JOIN g_committee gc ON gc.k = g.i % {committees}",
            seed,
        )
        cbase = clone(
            cursor,
            "aid_cases_child",
            children,
            f"t.region_id {outside}",
            {"person_id": f"{people} + g.i + 1", "region_id": "gc.region_id"},
            f"JOIN g_committee gc ON gc.k = g.i % {committees}",
            seed,
        )
        if not _scalar(cursor, f"SELECT count(*) FROM aid_cases_programme WHERE committee_id = {top}"):
            clone(cursor, "aid_cases_programme", 4, "t.archived_at IS NULL", {"committee_id": str(top)}, seed=seed)
        cursor.execute("DROP TABLE IF EXISTS g_programme")
        cursor.execute(
            "CREATE TEMP TABLE g_programme AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id"
            f" FROM aid_cases_programme WHERE committee_id = {top}"
        )
        programmes = cursor.rowcount
        registered = f"{today} - {365 * YEARS + 60} + g.i % 30"
        case_base = clone(
            cursor,
            "aid_cases_aidcase",
            children,
            "t.archived_at IS NULL",
            {
                "child_id": f"{cbase} + g.i + 1",
                "programme_id": "gp.id",
                "committee_id": "gc.id",
                "status": "'active'",
                "registered_on": registered,
                "status_changed_at": f"({registered})::timestamptz",
                "close_reason": "''",
                "closed_on": "NULL",
            },
            f"JOIN g_committee gc ON gc.k = g.i % {committees} JOIN g_programme gp ON gp.k = g.i % {programmes}",
            seed,
        )
        # A case's j-th disbursement pays the month 6j + (case mod 6) before this one: distinct months
        # for its first ten, none ahead of this month, paid on the 10th or today if that is sooner.
        paid = added["disbursements"] = _gap(0, TARGETS["disbursements"], growth)
        month = (
            f"(date_trunc('month', {today}) - make_interval(months =>"
            f" ((g.i / {children}) * 6 + (g.i % {children}) % 6) % {12 * YEARS}))::date"
        )
        clone(
            cursor,
            "aid_cases_disbursement",
            paid,
            "t.reverses_id IS NULL AND t.amount > 0",
            {
                "case_id": f"{case_base} + g.i % {children} + 1",
                "pairing_id": "NULL",
                "reverses_id": "NULL",
                "handed_over_by_id": "NULL",
                "for_month": month,
                "paid_on": f"least({month} + 9, {today})",
                "goods_value": "0",
                "receipt": "''",
            },
            seed=seed,
        )
        added["children"] = children
    return added


def _grown(cursor) -> bool:
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {GROWN} (source varchar(12) PRIMARY KEY, growth double precision NOT NULL,"
        " seed integer NOT NULL, grown_at timestamptz NOT NULL DEFAULT now())"
    )
    cursor.execute(f"SELECT 1 FROM {GROWN} WHERE source = %s", [SOURCE_CODE])
    return cursor.fetchone() is not None


def grow_once(growth: float, seed: int, stdout, *, copies_exist: bool) -> dict[str, int] | None:
    """Grow 永顺 unless it was grown, growth is 0 or copies exist. Returns the rows added, or None."""
    with transaction.atomic(), connection.cursor() as cursor:
        if _grown(cursor):
            return None
        if growth <= 0:
            return None
        if copies_exist:
            stdout.write("  Copies of 永顺 exist: it is not grown (the copies would differ from it).")
            return None
        cursor.execute("SET LOCAL session_replication_role = replica")
        started = time.perf_counter()
        added = grow(cursor, growth, seed, stdout)
        cursor.execute(f"INSERT INTO {GROWN} (source, growth, seed) VALUES (%s, %s, %s)", [SOURCE_CODE, growth, seed])
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        cursor.execute(f"ANALYZE {', '.join(copied_tables())}")
    stdout.write(
        "  永顺县 grown: "
        + ", ".join(f"{n:,} {kind}" for kind, n in added.items())
        + f" in {time.perf_counter() - started:.1f} s"
    )
    return added


# --- The command -----------------------------------------------------------------------------
class Command(BaseCommand):
    help = "Copy the demo county 永顺县, grown to a county's size, into N synthetic counties (benchmark at scale)."

    def add_arguments(self, parser):
        parser.add_argument("--counties", type=int, required=True)
        parser.add_argument("--province-code", default="43", help="two digits (default 43, 湖南省)")
        parser.add_argument(
            "--growth",
            type=float,
            default=1.0,
            help="share of the gap to a full county that 永顺 is grown by (0: none)",
        )
        parser.add_argument("--seed", type=int, default=0, help="which template rows the grown rows follow")
        parser.add_argument("--workers", type=int, default=2, help="connections copying side by side")

    def handle(self, *args, counties, province_code, growth, seed, workers, **options):
        if len(province_code) != 2 or not province_code.isdigit():
            raise CommandError("--province-code takes the two province digits, e.g. 43")
        if counties < 0 or FIRST_CITY + (counties - 1) // COUNTIES_PER_CITY > 99:
            raise CommandError(f"--counties must be between 0 and {(100 - FIRST_CITY) * COUNTIES_PER_CITY}")
        if growth < 0 or workers < 1:
            raise CommandError("--growth must be 0 or more, --workers 1 or more")
        check_spec_order()
        if not Region.objects.filter(code=SOURCE_CODE).exists():
            call_command("load_demo", stdout=self.stdout)
        province = province_code + "0" * 10
        Region.objects.get_or_create(code=province, defaults={"name": "规模测试省", "level": "province"})
        ensure_account(
            "sheng_laoganju", role=Role.COUNTY_STAFF, region_id=province, last_name="省委老干部局（规模测试）"
        )
        ensure_account("shengji", role=Role.LEADER, region_id=province, last_name="省领导（规模测试）")
        started = time.perf_counter()
        copies_exist = Region.objects.filter(level="county", is_demo_code=True, name__startswith="规模测试县").exists()
        grown = grow_once(growth, seed, self.stdout, copies_exist=copies_exist)

        todo = []
        for number in range(1, counties + 1):
            code = county_code(number, province_code)
            name = f"规模测试县{number:03d}"
            if Region.objects.filter(code=code).exists():
                self.stdout.write(f"  {code} {name}: present, skipped")
            else:
                todo.append((len(todo), code, name))
        if todo:
            self.copy(todo, province, workers)
        if todo or grown:
            # The copies and the growth ran with the triggers off, the reports' tallies' too.
            tallies.rebuild()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE reports_activitytally")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(todo)} counties created in {time.perf_counter() - started:.1f} s;"
                f" {counties - len(todo)} present."
            )
        )

    def copy(self, todo, province: str, workers: int) -> None:
        for city in sorted({code[:4] + "00000000" for _, code, _ in todo}):
            Region.objects.get_or_create(
                code=city,
                defaults={
                    "name": f"规模测试市{city[2:4]}",
                    "level": "city",
                    "parent_id": province,
                    "is_demo_code": True,
                },
            )
        with transaction.atomic(), connection.cursor() as cursor:
            counts = number_source(cursor)
            bases = reserve_ids(cursor, counts, len(todo))
        batches = [todo[i : i + BATCH] for i in range(0, len(todo), BATCH)]
        lock = threading.Lock()

        def run(mine, numbered: bool) -> None:
            with connection.cursor() as cursor:
                if not numbered:
                    number_source(cursor)
                for batch in mine:
                    start = time.perf_counter()
                    with transaction.atomic():
                        cursor.execute("SET LOCAL session_replication_role = replica")
                        done = copy_batch(cursor, batch, counts, bases)
                        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
                    with lock:
                        self.stdout.write(
                            f"  {batch[0][1]}…{batch[-1][1]} ({len(batch)} counties):"
                            f" {done['branches_activity']:,} activities, {done['branches_attendance']:,} attendance,"
                            f" {done.get('volunteers_servicerecord', 0):,} service records,"
                            f" {done.get('aid_cases_disbursement', 0):,} disbursements"
                            f" in {time.perf_counter() - start:.1f} s"
                        )

        def worker(mine) -> None:
            try:
                run(mine, numbered=False)
            finally:
                connection.close()

        workers = min(workers, len(batches))
        if workers == 1:
            run(batches, numbered=True)
        else:
            errors = []

            def guarded(mine):
                try:
                    worker(mine)
                except Exception as error:  # reported below, after the other worker has finished
                    errors.append(error)

            threads = [threading.Thread(target=guarded, args=(batches[w::workers],)) for w in range(workers)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            if errors:
                raise errors[0]
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE core_region, branches_activitypresence, {', '.join(copied_tables())}")

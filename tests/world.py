"""A small, complete world for access tests: two counties with one of everything.

`inside` is the county (and the branch, and the committee) that the six test
users are scoped to; `outside` is another county none of them may see.
Built once per test session (see conftest.py); tests run in transactions
that roll back, so they may change it freely.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from branches import models as b
from branches.imports import RetireeImport
from core.imports import template_workbook
from core.models import ImportUpload, Job, Region
from core.scoping import Role
from funds import models as fm
from funds import services as funds_services
from tests import factories as f
from tests.aid_cases.world import build_aid
from volunteers import models as v
from volunteers.services import certificate_issue

PASSWORD = "pass-word-123"


def _png() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def build_county(province: str, city: str, county: str, names: tuple[str, str, str, str], tag: str):
    """One county with a town and a village, and one record of every kind."""
    province_r = f.RegionFactory(code=province + "0" * 10, name=names[0], level=Region.Level.PROVINCE)
    city_r = f.RegionFactory(code=city + "0" * 8, name=names[1], level=Region.Level.CITY, parent=province_r)
    county_r = f.RegionFactory(code=county + "0" * 6, name=names[2], level=Region.Level.COUNTY, parent=city_r)
    town = f.RegionFactory(code=county + "100000", name=names[3], level=Region.Level.TOWN, parent=county_r)
    village = f.RegionFactory(code=county + "100001", name=names[3] + "社区", level=Region.Level.VILLAGE, parent=town)
    w = SimpleNamespace(region=county_r, town=town, village=village)
    w.person = f.PersonFactory(region=town, name=f"{tag}张谦")
    w.work_committee = f.WorkCommitteeFactory(region=county_r, name=f"{tag}离退休干部党工委")
    w.cluster = f.ClusterFactory(region=county_r)
    w.venue = f.VenueFactory(region=town)
    w.general_branch = f.BranchFactory(region=county_r, kind=b.Branch.Kind.GENERAL, name=f"{tag}老年大学临时党总支")
    w.branch = f.BranchFactory(region=town, cluster=w.cluster, kind=b.Branch.Kind.AGENCY_RETIREE)
    w.branch.venues.add(w.venue)
    w.committee = f.CommitteeFactory(region=town, branch=w.branch)
    w.secretary_person = f.PersonFactory(region=town)
    w.secretary_post = f.PostFactory(person=w.secretary_person, branch=w.branch, role=b.Post.Role.SECRETARY)
    w.director_person = f.PersonFactory(region=town)
    w.director_post = f.PostFactory(
        person=w.director_person, branch=None, committee=w.committee, role=b.Post.Role.EXECUTIVE_DIRECTOR
    )
    w.post = w.secretary_post
    w.retiree = f.RetireeFactory(person=w.person, branch=w.branch)
    w.membership = w.retiree.memberships.get()
    w.wc_member = f.WorkCommitteeMemberFactory(work_committee=w.work_committee, person=w.secretary_person)
    w.wc_member.branches.add(w.branch)
    w.guidance_visit = f.GuidanceVisitFactory(member=w.wc_member, branch=w.branch)
    w.activity = f.ActivityFactory(branch=w.branch)
    w.attendance = f.AttendanceFactory(activity=w.activity, person=w.retiree.person, status=b.Attendance.Status.ABSENT)
    w.photo = b.ActivityPhoto(activity=w.activity)
    w.photo.image.save("photo.png", ContentFile(_png()), save=True)
    w.attachment = b.ActivityAttachment(activity=w.activity, name="签到表.pdf")
    w.attachment.file.save("signin.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    w.need = f.NeedFactory(branch=w.branch, retiree=w.retiree)
    w.care_pair = f.CarePairFactory(cadre=f.PersonFactory(region=county_r), retiree=w.retiree)
    w.care_record = b.CareRecord.objects.create(
        care_pair=w.care_pair, happened_on=dt.date(2026, 2, 1), description="春节走访"
    )
    w.hardship_payment = b.HardshipPayment.objects.create(retiree=w.retiree, paid_on=dt.date(2026, 1, 20), amount=2000)
    w.check_in = b.CommunityCheckIn.objects.create(
        person=w.person, community=village, checked_in_on=dt.date(2024, 3, 1)
    )
    w.governance_role = b.GovernanceRole.objects.create(
        person=w.person, kind=b.GovernanceRole.Kind.GRID_WORKER, region=village
    )
    # Both sides in one county, so each county's users see it whole and the other county's not at all.
    w.transfer_request = b.TransferRequest.objects.create(
        id_number=w.person.id_number, name=w.person.name, to_branch=w.general_branch, retiree=w.retiree
    )
    w.honour = f.HonourFactory(branch=w.branch)
    w.compliance_rule = b.ComplianceRule.objects.create(
        region=county_r,
        branch_kind=b.Branch.Kind.RETIREE,
        activity_kind=b.Activity.Kind.GROUP_MEETING,
        period=b.ComplianceRule.Period.QUARTER,
    )
    w.scheme = b.AssessmentScheme.objects.create(
        name=f"{tag}六好党支部", target=b.AssessmentScheme.Target.BRANCH, region=county_r
    )
    w.criterion = b.AssessmentCriterion.objects.create(scheme=w.scheme, order=1, title="政治引领好")
    w.assessment = b.Assessment.objects.create(scheme=w.scheme, year=2026, branch=w.branch)
    w.assessment_item = b.AssessmentItem.objects.create(assessment=w.assessment, criterion=w.criterion)
    # Funds: the branch's, the committee's and the county office's ledgers; one entry with a receipt.
    w.ledger = funds_services.ledger_open(branch=w.branch)
    w.committee_ledger = funds_services.ledger_open(committee=w.committee)
    w.county_ledger = funds_services.ledger_open(county=county_r)
    w.fund_entry = funds_services.entry_record(
        ledger=w.ledger,
        occurred_on=dt.date(2026, 3, 5),
        direction=fm.Direction.INCOME,
        category=fm.Category.UNIT_FUNDING,
        amount=Decimal("1000.00"),
        summary="单位拨付支部经费",
        counterparty_name=f"{tag}机关",
        receipt=SimpleUploadedFile("收据.pdf", b"%PDF-1.4 receipt", content_type="application/pdf"),
        by=None,
    )
    w.budget = fm.Budget.objects.create(
        ledger=w.ledger, year=2026, category=fm.Category.ACTIVITY, amount=Decimal("500.00")
    )
    build_aid(w, tag, _png())
    return w


def add_volunteers(w, *, recorder, issuer) -> None:
    """The five-elders records of one county: the retiree registered with the committee, a team led by
    the branch secretary's person (a team leader), a record they entered waiting for confirmation."""
    w.volunteer = v.Volunteer.objects.create(
        person=w.person,
        committee=w.committee,
        retiree=w.retiree,
        number="WL00001",
        category=v.Volunteer.Category.CADRE,
        registered_on=dt.date(2024, 1, 10),
    )
    w.leader_volunteer = v.Volunteer.objects.create(
        person=w.secretary_person,
        committee=w.committee,
        number="WL00002",
        category=v.Volunteer.Category.TEACHER,
        registered_on=dt.date(2024, 1, 10),
    )
    w.team = v.Team.objects.create(
        name="护学志愿服务队", purpose=v.Team.Purpose.PATROL, committee=w.committee, leader=w.leader_volunteer
    )
    w.team_membership = v.TeamMembership.objects.create(
        team=w.team, volunteer=w.volunteer, joined_on=dt.date(2024, 2, 1)
    )
    w.studio = v.Studio.objects.create(name="老教师工作室", theme="课业辅导", committee=w.committee, venue=w.venue)
    w.studio.members.add(w.volunteer)
    w.service_record = v.ServiceRecord.objects.create(
        committee=w.committee,
        region=w.committee.region,
        team=w.team,
        served_on=dt.date(2026, 3, 2),
        kind=v.ServiceRecord.Kind.SCHOOL_PATROL,
        minors_served=120,
        recorded_by=recorder,
    )
    w.service_hours = v.ServiceHours.objects.create(record=w.service_record, volunteer=w.volunteer, hours=2)
    w.service_photo = v.ServicePhoto(record=w.service_record)
    w.service_photo.image.save("patrol.png", ContentFile(_png()), save=True)
    w.suggestion = v.Suggestion.objects.create(
        committee=w.committee, topic="校门口增设护学岗", addressed_to="镇党委", proposed_on=dt.date(2026, 3, 5)
    )
    w.suggestion.volunteers.add(w.volunteer)
    w.certificate = certificate_issue(
        by=issuer,
        volunteer=w.volunteer,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
        person_in_charge="王主任",
        handler="李干事",
        contact="0833-1234567",
    )


def build_world():
    inside = build_county("43", "4331", "433127", ("湖南省", "湘西州", "永顺县", "灵溪镇"), "内")
    outside = build_county("51", "5111", "511102", ("四川省", "乐山市", "市中区", "苏稽镇"), "外")
    users = {
        Role.COUNTY_STAFF: f.UserFactory(username="county_staff", role=Role.COUNTY_STAFF, region=inside.region),
        Role.COMMITTEE_STAFF: f.UserFactory(
            username="committee_staff", role=Role.COMMITTEE_STAFF, region=inside.region
        ),
        Role.BRANCH_SECRETARY: f.UserFactory(
            username="branch_secretary", role=Role.BRANCH_SECRETARY, person=inside.secretary_person
        ),
        Role.COMMITTEE_DIRECTOR: f.UserFactory(
            username="committee_director", role=Role.COMMITTEE_DIRECTOR, person=inside.director_person
        ),
        Role.LEADER: f.UserFactory(username="leader", role=Role.LEADER, region=inside.region),
        Role.ADMIN: f.UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True),
    }
    add_volunteers(inside, recorder=users[Role.BRANCH_SECRETARY], issuer=users[Role.ADMIN])
    add_volunteers(outside, recorder=users[Role.ADMIN], issuer=users[Role.ADMIN])
    outside_staff = f.UserFactory(username="outside_county_staff", role=Role.COUNTY_STAFF, region=outside.region)
    for county, owner in ((inside, users[Role.COUNTY_STAFF]), (outside, outside_staff)):
        _add_jobs(county, owner)
    return SimpleNamespace(inside=inside, outside=outside, users=users)


def _add_jobs(w, owner):
    """A background job, an uploaded import file and a finished export of the county's staff (theirs alone)."""
    w.job = Job.objects.create(kind="import_check", title="检查导入文件：花名册.xlsx", created_by=owner)
    w.import_upload = ImportUpload.objects.create(
        kind="retirees", filename="花名册.xlsx", content=template_workbook(RetireeImport(), owner), created_by=owner
    )
    w.export_job = Job.objects.create(
        kind="export_list",
        title="导出：离退休干部",
        created_by=owner,
        status=Job.Status.DONE,
        params={"path": reverse("branches:retiree_list"), "query": ""},
    )
    workbook = ContentFile(template_workbook(RetireeImport(), owner))
    name = default_storage.save(f"exports/{w.export_job.pk}.xlsx", workbook)
    download = reverse("core:job_download", args=[w.export_job.pk])
    w.export_job.result = {"file": name, "filename": "离退休干部.xlsx", "rows": 1, "download": download}
    w.export_job.save(update_fields=["result"])

"""factory_boy factories for every model (Faker in zh_CN)."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from branches import models as b
from core.models import Person, Region, User
from core.scoping import Role
from core.validators import address_codes, id_check_digit

factory.Faker._DEFAULT_LOCALE = "zh_CN"


def make_id_number(region_code: str, birth: dt.date, seq: int, male: bool) -> str:
    """A valid national ID number (digit 17 odd for men). The factories' invented regions
    (99nnnn…) are no administrative division, so their people get a real code (东城区)."""
    order = (seq % 500) * 2 + (1 if male else 0)
    address = region_code[:6] if region_code[:6] in address_codes() else "110101"
    first17 = f"{address}{birth:%Y%m%d}{order:03d}"
    return first17 + id_check_digit(first17)


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"99{n:04d}000000")
    name = factory.Sequence(lambda n: f"测试县{n}")
    level = Region.Level.COUNTY


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Faker("name")
    region = factory.SubFactory(RegionFactory)
    birth_date = factory.Faker("date_between", start_date=dt.date(1935, 1, 1), end_date=dt.date(1964, 12, 31))
    gender = factory.Iterator(["M", "F"])
    id_number = factory.LazyAttributeSequence(
        lambda o, n: make_id_number(o.region.code, o.birth_date, n, o.gender == "M")
    )
    mobile = factory.Sequence(lambda n: f"139{n:08d}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.COUNTY_STAFF
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class BranchFactory(DjangoModelFactory):
    class Meta:
        model = b.Branch

    name = factory.Sequence(lambda n: f"第{n}离退休干部党支部")
    kind = b.Branch.Kind.RETIREE
    region = factory.SubFactory(RegionFactory)
    founded_on = dt.date(2018, 1, 1)


class ClusterFactory(DjangoModelFactory):
    class Meta:
        model = b.Cluster

    name = factory.Sequence(lambda n: f"第{n}片组")
    region = factory.SubFactory(RegionFactory)
    leading_unit = "县委组织部"
    deputy_unit = "县人社局"


class VenueFactory(DjangoModelFactory):
    class Meta:
        model = b.Venue

    name = factory.Sequence(lambda n: f"党员活动室{n}")
    kind = b.Venue.Kind.ACTIVITY_ROOM
    region = factory.SubFactory(RegionFactory)
    area_m2 = 60


class CommitteeFactory(DjangoModelFactory):
    class Meta:
        model = b.YouthCareCommittee

    name = factory.Sequence(lambda n: f"第{n}关工委")
    level = b.YouthCareCommittee.Level.TOWN
    region = factory.SubFactory(RegionFactory)


class PostFactory(DjangoModelFactory):
    class Meta:
        model = b.Post

    person = factory.SubFactory(PersonFactory)
    branch = factory.SubFactory(BranchFactory)
    role = b.Post.Role.COMMITTEE_MEMBER
    start_on = dt.date(2022, 5, 1)


class RetireeFactory(DjangoModelFactory):
    class Meta:
        model = b.Retiree
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    branch = factory.SubFactory(BranchFactory)
    status = b.Retiree.Status.RETIRED
    former_unit = "县教育局"
    is_party_member = True
    joined_party_on = dt.date(1975, 7, 1)

    @factory.post_generation
    def membership(obj, create, extracted, **kwargs):
        if create and obj.branch_id:
            b.Membership.objects.create(retiree=obj, branch=obj.branch, start_on=dt.date(2020, 1, 1))


class WorkCommitteeFactory(DjangoModelFactory):
    class Meta:
        model = b.WorkCommittee

    name = "离退休干部党工委"
    region = factory.SubFactory(RegionFactory)


class WorkCommitteeMemberFactory(DjangoModelFactory):
    class Meta:
        model = b.WorkCommitteeMember

    work_committee = factory.SubFactory(WorkCommitteeFactory)
    person = factory.SubFactory(PersonFactory)
    start_on = dt.date(2021, 1, 1)


class GuidanceVisitFactory(DjangoModelFactory):
    class Meta:
        model = b.GuidanceVisit

    member = factory.SubFactory(WorkCommitteeMemberFactory)
    branch = factory.SubFactory(BranchFactory)
    visited_on = dt.date(2026, 3, 10)
    checked = "三会一课记录"


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = b.Activity

    branch = factory.SubFactory(BranchFactory)
    kind = b.Activity.Kind.THEME_DAY
    held_on = dt.date(2026, 3, 5)
    topic = "学习党的二十届四中全会精神"


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = b.Attendance

    activity = factory.SubFactory(ActivityFactory)
    person = factory.SubFactory(PersonFactory)


class NeedFactory(DjangoModelFactory):
    class Meta:
        model = b.Need

    branch = factory.SubFactory(BranchFactory)
    received_on = dt.date(2026, 4, 1)
    content = "希望提供大字版学习资料"


class CarePairFactory(DjangoModelFactory):
    class Meta:
        model = b.CarePair

    cadre = factory.SubFactory(PersonFactory)
    retiree = factory.SubFactory(RetireeFactory)
    started_on = dt.date(2025, 1, 1)


class HonourFactory(DjangoModelFactory):
    class Meta:
        model = b.Honour

    title = "六好党支部"
    level = b.Honour.Level.PROVINCE
    awarded_by = "省委组织部、省委老干部局"
    awarded_on = dt.date(2024, 6, 30)

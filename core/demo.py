"""Demo regions and accounts (loaded by `manage.py load_demo`).

County codes are the real statistical codes of the counties in the seed
reports; town and village codes below them are numbered in order and
flagged `is_demo_code`.
"""

from django.db import transaction

from core.models import Region, User
from core.scoping import Role

DEMO_PASSWORD = "yinling-demo"  # noqa: S105 (the documented password of the demo accounts)

# (code, name, level, parent code, demo code?)
REGIONS = [
    ("510000000000", "四川省", "province", None, False),
    ("511100000000", "乐山市", "city", "510000000000", False),
    ("511102000000", "市中区", "county", "511100000000", False),
    ("511102001000", "大佛街道", "town", "511102000000", True),
    ("511102101000", "苏稽镇", "town", "511102000000", True),
    ("511102101001", "程扁村", "village", "511102101000", True),
    ("511102101002", "灵官村", "village", "511102101000", True),
    ("511102101003", "永和村", "village", "511102101000", True),
    ("511102102000", "棉竹镇", "town", "511102000000", True),
    ("430000000000", "湖南省", "province", None, False),
    ("431200000000", "怀化市", "city", "430000000000", False),
    ("431224000000", "溆浦县", "county", "431200000000", False),
    ("431224101000", "低庄镇", "town", "431224000000", True),
    ("433100000000", "湘西土家族苗族自治州", "city", "430000000000", False),
    ("433127000000", "永顺县", "county", "433100000000", False),
    ("433127001000", "灵溪镇", "town", "433127000000", True),
    ("433127101000", "首车镇", "town", "433127000000", True),
    ("433127102000", "芙蓉镇", "town", "433127000000", True),
    ("433127103000", "石堤镇", "town", "433127000000", True),
    ("433127104000", "塔卧镇", "town", "433127000000", True),
    ("433127105000", "泽家镇", "town", "433127000000", True),
    ("520000000000", "贵州省", "province", None, False),
    ("520300000000", "遵义市", "city", "520000000000", False),
    ("520329000000", "余庆县", "county", "520300000000", False),
    ("520329001000", "子营街道", "town", "520329000000", True),
    ("370000000000", "山东省", "province", None, False),
    ("370900000000", "泰安市", "city", "370000000000", False),
    ("370911000000", "岱岳区", "county", "370900000000", False),
    ("370911001000", "粥店街道", "town", "370911000000", True),
    ("370911001001", "堰岭社区", "village", "370911001000", True),
    ("370911001002", "枣行社区", "village", "370911001000", True),
    ("370911101000", "大汶口镇", "town", "370911000000", True),
    ("370911102000", "夏张镇", "town", "370911000000", True),
    ("370911103000", "道朗镇", "town", "370911000000", True),
]

# username, role, region code (region-scoped roles), name, what they are for
REGION_ACCOUNTS = [
    ("admin", Role.ADMIN, None, "系统管理员", "用户、区划与系统设置"),
    ("laoganju", Role.COUNTY_STAFF, "433127000000", "向红梅", "永顺县委老干部局：52个支部、12个片组"),
    ("laoganju_szq", Role.COUNTY_STAFF, "511102000000", "罗晓燕", "乐山市市中区委老干部局"),
    ("guangongwei", Role.COMMITTEE_STAFF, "511102000000", "彭文静", "市中区关工委办公室"),
    ("lingdao", Role.LEADER, "433127000000", "田国栋", "永顺县领导：看板与年报"),
]

# Accounts created by the branches demo (their scope comes from posts).
POST_ACCOUNTS = [
    ("shuji", Role.BRANCH_SECRETARY, "苏稽镇机关退休党支部书记"),
    ("zhuren", Role.COMMITTEE_DIRECTOR, "苏稽镇关工委执行主任（兼支部委员，一肩挑）"),
]


@transaction.atomic
def load(stdout) -> None:
    for code, name, level, parent, demo in REGIONS:
        Region.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "parent_id": parent, "is_demo_code": demo}
        )
    for username, role, region, name, _purpose in REGION_ACCOUNTS:
        ensure_account(username, role=role, region_id=region, last_name=name)
    stdout.write(f"  regions: {len(REGIONS)}, region-scoped accounts: {len(REGION_ACCOUNTS)}")


def ensure_account(username: str, *, role: str, **fields) -> User:
    """Create the demo account once; a second run leaves it (and its password) as it is."""
    is_admin = role == Role.ADMIN
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"role": role, "is_staff": is_admin, "is_superuser": is_admin, **fields},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user

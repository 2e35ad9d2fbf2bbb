"""What every app shares: regions, people, users and roles, and the base
classes that give domain records their history, archiving and versioning."""

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Cast, Concat, Left
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.formatting import format_cn_date
from core.pinyin import name_pinyin, surname_pinyin
from core.scoping import Role, ScopedQuerySet
from core.search import name_match, search_by_name
from core.validators import (
    normalize_id_number,
    normalize_mobile,
    parse_id_number,
    validate_id_number,
    validate_phone,
)


class StaleRecordError(Exception):
    """Somebody saved the record after it was read for this change (by an edit form, say)."""

    def __init__(self, changed_at=None):
        super().__init__()
        self.changed_at = changed_at  # when that other save happened, for the conflict message


# The names of the check constraints that `backstop` marked.
BACKSTOPS: set[str] = set()


def backstop(constraint: models.CheckConstraint) -> models.CheckConstraint:
    """Mark a check constraint as the database's backstop for a rule a field already validates
    (its choices): `DomainModel.full_clean` leaves it to the database instead of asking it by a
    query of its own (Django runs one per check constraint). The constraint itself is unchanged;
    it is known by its name (Django copies a model's constraints, without other attributes)."""
    BACKSTOPS.add(constraint.name)
    return constraint


class DomainModel(models.Model):
    """Base of every domain record: timestamps, archiving, optimistic locking.

    Records are archived, never deleted by users. The default manager
    (`objects`) leaves archived rows out so lists, counts and reports do too;
    `all_objects` includes them (restore pages, history, related lookups).
    `version` is kept by the database (`BUMP_VERSION`): every UPDATE that
    changes a row raises it by one, whatever the UPDATE wrote to it. Edit
    forms compare it with `lock_unchanged` (`core.forms.VersionedModelForm`).
    """

    # What is personal about the record, for its history page (see core.history):
    # True when each row is about one person (leaders never open its history);
    # field name -> mask registered with core.history.register_history_mask.
    personal_record = False
    history_masked_fields: dict[str, str] = {}

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("归档人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def get_constraints(self):
        """The constraints `validate_constraints` checks: all but the backstops (see `backstop`)."""
        return [
            (model, [c for c in constraints if c.name not in BACKSTOPS])
            for model, constraints in super().get_constraints()
        ]

    def clean_checked(self, exclude=None) -> None:
        """`full_clean` without its queries, for a caller that checked the record against the
        database in the same transaction (an import's check): the fields' own rules and `clean()`,
        but not whether a foreign key's row exists, uniqueness or the constraints, which the
        database still guards."""
        related = [f.name for f in self._meta.concrete_fields if f.is_relation]
        self.full_clean(exclude=[*(exclude or ()), *related], validate_unique=False, validate_constraints=False)

    def archive(self, *, by) -> None:
        self.archived_at = timezone.now()
        self.archived_by = by
        self.save(update_fields=["archived_at", "archived_by", "updated_at"])

    def restore(self, *, by) -> None:
        self.archived_at = None
        self.archived_by = None
        self.save(update_fields=["archived_at", "archived_by", "updated_at"])

    def lock_unchanged(self, version: int) -> None:
        """Lock this row until the transaction ends; StaleRecordError if it is no longer at `version`.

        Call it inside a transaction before saving a change made from a copy
        read at `version`: a concurrent save waits at the lock, then sees the
        new version and is refused. One query (SELECT ... FOR UPDATE).
        """
        current = (
            type(self)._base_manager.select_for_update().filter(pk=self.pk).values_list("version", "updated_at").first()
        )
        if current is None or current[0] != version:
            raise StaleRecordError(changed_at=current[1] if current else None)


# The database owns `version`: whatever an UPDATE writes there is replaced by the old
# value, plus one when anything else in the row changed. A no-op UPDATE stays a no-op
# and a version-only one changes nothing, so pghistory (which records changed rows
# only) never records an event for the version alone.
BUMP_VERSION = pgtrigger.Trigger(
    name="bump_version",
    when=pgtrigger.Before,
    operation=pgtrigger.Update,
    func=(
        "NEW.version := OLD.version; "
        "IF NEW IS DISTINCT FROM OLD THEN NEW.version := OLD.version + 1; END IF; "
        "RETURN NEW;"
    ),
)


def register_version_trigger(model_classes) -> None:
    """Put `BUMP_VERSION` on every concrete DomainModel (from `CoreConfig.ready()`).

    `DomainModel.Meta.triggers` would not do it: pgtrigger registers each
    concrete model's own `_meta.triggers`, and a model with its own
    `class Meta` (all of ours) inherits nothing from an abstract parent's Meta.
    """
    for model in model_classes:
        if issubclass(model, DomainModel) and not model._meta.proxy:
            BUMP_VERSION.register(model)


class ActiveManager(models.Manager):
    """The default manager of domain records: archived rows are left out."""

    def get_queryset(self):
        return super().get_queryset().filter(archived_at__isnull=True)


def domain_managers(queryset_class):
    """(objects, all_objects) for a domain model with the given queryset."""
    return (
        ActiveManager.from_queryset(queryset_class)(),
        models.Manager.from_queryset(queryset_class)(),
    )


class PinyinNamed(models.Model):
    """A `name` that sorts and searches by pinyin (张 under Z; `zhang` or `zq` finds 张谦).

    PostgreSQL here has no ICU collation, so the keys are stored: filled on save,
    and by the querysets' `bulk_create` (see `ScopedQuerySet`)."""

    personal_name = False  # True for people: their first character is read as a surname

    pinyin = models.CharField(_("拼音"), max_length=200, editable=False, db_index=True, default="")
    pinyin_initials = models.CharField(_("拼音首字母"), max_length=50, editable=False, db_index=True, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            keys = {"pinyin", "pinyin_initials"} | ({"pinyin_surname"} if self.personal_name else set())
            kwargs["update_fields"] = {*kwargs["update_fields"], *keys}
        super().save(*args, **kwargs)

    def fill_derived_fields(self) -> None:
        """Sort and search keys from the name (and, for people, the surname's key: `core.search` ranks by it)."""
        full, initials = name_pinyin(self.name, personal=self.personal_name)
        self.pinyin, self.pinyin_initials = full[:200], initials[:50]
        if self.personal_name:
            self.pinyin_surname = surname_pinyin(self.name)[:20]


def pinyin_name_q(query: str, prefix: str = "") -> Q:
    """Matches a name by its characters, full pinyin (`zhangqian`, `zhang san`, `张san`) or initials (`zq`).

    Only the condition; `core.search.search_by_name` also ranks the matches (surname first)."""
    return name_match(query, prefix)


class RegionQuerySet(ScopedQuerySet):
    region_path = ""
    region_readers = frozenset(Role.region_scoped())
    region_editors = frozenset()  # the administrator keeps the area tree

    def in_region(self, region):
        return self.filter(code__startswith=region.prefix)


class Region(models.Model):
    """Administrative area keyed by the 12-digit statistical area code.

    2 province + 2 city + 2 county + 3 town + 3 village digits: the subtree of
    an area is every code that starts with its significant prefix.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("市")
        COUNTY = "county", _("县（区）")
        TOWN = "town", _("乡镇（街道）")
        VILLAGE = "village", _("村（社区）")

    PREFIX_LENGTH = {"province": 2, "city": 4, "county": 6, "town": 9, "village": 12}

    code = models.CharField(
        _("区划代码"),
        max_length=12,
        primary_key=True,
        validators=[RegexValidator(r"^\d{12}$", _("区划代码应为12位数字"))],
    )
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_demo_code = models.BooleanField(
        _("演示编码"),
        default=False,
        help_text=_("按顺序编排的演示代码，并非统计用区划代码"),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{12}$"),
                name="core_region_code_12_digits",
            ),
            models.CheckConstraint(
                condition=Q(level__in=["province", "city", "county", "town", "village"]),
                name="core_region_level_valid",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def prefix(self) -> str:
        """The significant digits: every area below this one starts with them."""
        return self.code[: self.PREFIX_LENGTH[self.level]]

    def contains(self, other: "Region") -> bool:
        return other.code.startswith(self.prefix)

    # The county (县、区) an area lies in, in three forms: the rule (the first six digits) is here only.

    @classmethod
    def county_code_of(cls, code: str) -> str:
        """The 12-digit code of the county that the area `code` lies in (a county's is its own)."""
        return code[: cls.PREFIX_LENGTH["county"]].ljust(12, "0")

    @classmethod
    def county_code_sql(cls, field: str) -> models.Func:
        """`county_code_of` in SQL, for the region code in `field`: to filter by in a subquery."""
        return Concat(Left(field, cls.PREFIX_LENGTH["county"]), Value("000000"), output_field=models.CharField())

    def county(self) -> "Region | None":
        """The county this area lies in: itself for a county, None for a province or a city
        (one query below county level)."""
        if self.level in (self.Level.PROVINCE, self.Level.CITY):
            return None
        if self.level == self.Level.COUNTY:
            return self
        return Region.objects.filter(code=self.county_code_of(self.code)).first()

    def ancestors(self) -> list["Region"]:
        """From the province down to this area, found by code prefixes (one query)."""
        prefixes = {self.code[:n].ljust(12, "0") for n in self.PREFIX_LENGTH.values()}
        return list(Region.objects.filter(code__in=prefixes).order_by("code"))

    def full_name(self) -> str:
        return "".join(r.name for r in self.ancestors() if r.level != Region.Level.PROVINCE)


ID_NUMBER_TAKEN = _("该身份证号已登记在另一人员名下")


class PersonQuerySet(ScopedQuerySet):
    """People are read and changed by the region's offices; county staff reach everyone in it.

    Committee staff reach only the people the apps' records give them
    (committee posts, volunteers, children: `core.hooks.register_person_scope`),
    so they can neither list a county's retirees nor change a retiree's record.
    """

    region_readers = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF})
    region_editors = frozenset({Role.COUNTY_STAFF, Role.COMMITTEE_STAFF})

    def _reach(self, queryset, user, *, editing: bool):
        from core.hooks import registry

        role = getattr(user, "role", None)
        reach = registry.person_reach.get(role)
        if not reach:
            return queryset
        condition = Q()
        for func in reach:
            condition |= func(user)
        queryset = queryset.filter(condition)
        if editing:
            for func in registry.person_read_only.get(role, []):
                queryset = queryset.exclude(func(user))
        return queryset

    def visible_to(self, user):
        return self._reach(super().visible_to(user), user, editing=False)

    def editable_by(self, user):
        return self._reach(super().editable_by(user), user, editing=True)

    def search(self, query: str):
        """Name, pinyin (`zhang`, `zhangqian`) or initials (`zq`), surname matches first; one query."""
        return search_by_name(self, query)


@pghistory.track()
class Person(PinyinNamed, DomainModel):
    """One real human, once. Retirees, post holders, volunteers and users point here."""

    future_dates_checked_by_model = ("birth_date",)  # clean() says 出生日期不能晚于今天 (core.input)

    personal_name = True
    personal_record = True
    history_masked_fields = {"id_number": "id_number"}

    class Gender(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    name = models.CharField(_("姓名"), max_length=50)
    pinyin_surname = models.CharField(_("姓氏拼音"), max_length=20, editable=False, db_index=True, default="")
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True, validators=[validate_id_number])
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    mobile = models.CharField(
        _("联系电话"),
        max_length=20,
        blank=True,
        validators=[validate_phone],
        help_text=_("手机号或座机号，如 13812345678 或 0833-1234567"),
    )
    address = models.CharField(_("住址"), max_length=200, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    note = models.TextField(_("备注"), blank=True)

    objects, all_objects = domain_managers(PersonQuerySet)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["pinyin", "name"]
        base_manager_name = "all_objects"
        permissions = [
            ("view_id_number", _("可查看完整身份证号")),
            ("view_personal_data", _("可查看个人姓名等个人信息")),
            ("restore_records", _("可恢复已归档的记录")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~Q(id_number=""),
                name="core_person_unique_id_number",
                violation_error_message=ID_NUMBER_TAKEN,
            ),
            backstop(models.CheckConstraint(condition=Q(gender__in=["", "M", "F"]), name="core_person_gender_valid")),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("core:person_detail", args=[self.pk])

    def clean(self):
        errors = {}
        self.id_number = normalize_id_number(self.id_number or "")
        if self.mobile:
            self.mobile = normalize_mobile(self.mobile)
        if self.id_number:
            try:
                info = parse_id_number(self.id_number)
            except ValidationError:
                info = None  # the field validator reports it
            if info:
                if self.gender and self.gender != info.gender:
                    errors["gender"] = _("性别与身份证号不符（身份证号显示为%(gender)s）") % {
                        "gender": self.Gender(info.gender).label
                    }
                if self.birth_date and self.birth_date != info.birth_date:
                    errors["birth_date"] = _("出生日期与身份证号不符（身份证号显示为%(date)s）") % {
                        "date": format_cn_date(info.birth_date)
                    }
                self.gender = self.gender or info.gender
                self.birth_date = self.birth_date or info.birth_date
        if self.birth_date and self.birth_date > timezone.localdate():
            errors["birth_date"] = _("出生日期不能晚于今天")
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        # Django checks unique constraints through the default manager, which leaves archived
        # people out; the database constraint covers them too (else: IntegrityError, a 500).
        taken = Person.all_objects.filter(id_number=self.id_number).exclude(pk=self.pk)
        if self.id_number and "id_number" not in (exclude or ()) and taken.exists():
            raise ValidationError({"id_number": ID_NUMBER_TAKEN})
        super().validate_constraints(exclude)

    def age_on(self, day) -> int | None:
        if not self.birth_date:
            return None
        before_birthday = (day.month, day.day) < (
            self.birth_date.month,
            self.birth_date.day,
        )
        return day.year - self.birth_date.year - before_birthday

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    @property
    def is_under_14(self) -> bool:
        age = self.age
        return age is not None and age < 14


class UserManager(DjangoUserManager):
    """`manage.py createsuperuser` makes the first administrator of a deployment: role 系统管理员
    (scope: everything), so the database's `core_user_only_admins_are_staff` holds."""

    use_in_migrations = True

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        if extra_fields["role"] != Role.ADMIN:
            raise ValueError("A superuser has the administrator role.")
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A login. Its role says what it may do, its scope where.

    County staff, committee staff and leaders are scoped to `region`. A branch
    secretary's branches and a committee director's committees come from the
    current posts their `person` holds (the branches app's `PostQuerySet`),
    never from a copy stored here.
    """

    Role = Role

    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("管辖区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    person = models.OneToOneField(
        Person,
        verbose_name=_("对应人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
    )
    large_font = models.BooleanField(_("大字模式"), default=False)
    # Set when an administrator creates the account or sets its password: the
    # user must choose their own at the next login (core.security.PasswordPolicyMiddleware).
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="core_user_role_valid"),
            models.CheckConstraint(
                condition=~Q(role__in=Role.region_scoped()) | Q(region__isnull=False),
                name="core_user_region_scoped_roles_have_region",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=Role.post_scoped()) | Q(person__isnull=False),
                name="core_user_post_scoped_roles_have_person",
            ),
            models.CheckConstraint(
                condition=Q(is_staff=False) | Q(role=Role.ADMIN),
                name="core_user_only_admins_are_staff",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.person_id:
            return self.person.name
        return f"{self.last_name}{self.first_name}" or self.username

    def get_full_name(self):
        return self.display_name

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords, so the last few cannot be chosen again.

    Written by `core.passwords.PasswordHistoryValidator.password_changed` whenever a
    password is saved; only the newest `PASSWORD_HISTORY_COUNT` rows of a user are kept.
    """

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("密码摘要"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="core_passwordhistory_recent")]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class DatePrecision(models.TextChoices):
    """How much of a date is known: an honour "2024年6月" is stored on the 1st with MONTH."""

    DAY = "day", _("日")
    MONTH = "month", _("月")
    YEAR = "year", _("年")

    def start_of(self, d):
        """The first day of the month or year `d` falls in (the day itself for DAY)."""
        if self == DatePrecision.YEAR:
            return d.replace(month=1, day=1)
        if self == DatePrecision.MONTH:
            return d.replace(day=1)
        return d


class AuditKind(models.TextChoices):
    """What an audit entry records (apps use these; a new kind needs a migration of the check)."""

    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKED_OUT = "locked_out", _("登录被锁定")
    LOGOUT = "logout", _("退出")
    UNLOCK = "unlock", _("解除锁定")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    VIEW_PERSONAL = "view_personal", _("查看个人信息")
    EXPORT = "export", _("导出数据")
    REVEAL_ID = "reveal_id", _("查看完整身份证号")
    ROLE_CHANGE = "role_change", _("权限或角色变更")
    ID_PROBE = "id_probe", _("登记了范围外已有的身份证号")


class AuditEntryQuerySet(ScopedQuerySet):
    """Who may read which audit entries; nobody may change one (the database refuses it too).

    Administrators read every entry. County staff read those of their region's users: users
    scoped to a region inside it, branch secretaries and committee directors whose person lives
    in it, failed logins typed with those users' names, and changes to those users' rights made
    by an administrator. Other roles read none. One statement with subqueries.
    """

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.role == Role.ADMIN:
            return self
        if user.role != Role.COUNTY_STAFF or not user.region_id:
            return self.none()
        prefix = user.region.prefix
        users = User.objects.filter(Q(region__code__startswith=prefix) | Q(person__region__code__startswith=prefix))
        return self.filter(
            Q(user__in=users)
            | Q(user__isnull=True, username__in=users.values("username"))
            | Q(target_model=User._meta.label, target_id__in=users.values(pk_text=Cast("pk", models.CharField())))
        )

    def editable_by(self, user):
        return self.none()


class AuditEntry(models.Model):
    """One security-relevant event: a login, a failed login, a view or export of personal
    data, a full ID number shown, a change of role or rights, a probe for an ID number.

    Written only through `core.audit.record(...)`; the application's database role may
    INSERT and SELECT these rows but not UPDATE, DELETE or TRUNCATE them (core.dbroles).
    Changes to records themselves are in pghistory's events; the audit page shows both.
    """

    Kind = AuditKind

    occurred_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices)
    user = models.ForeignKey(
        User, verbose_name=_("用户"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    # The record concerned, by model label and primary key (no foreign key: any model).
    target_model = models.CharField(_("记录类型"), max_length=100, blank=True)
    target_id = models.CharField(_("记录编号"), max_length=64, blank=True)
    target_label = models.CharField(_("记录"), max_length=200, blank=True)
    reason = models.CharField(_("事由"), max_length=500, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AuditKind.values), name="core_auditentry_kind_valid")
        ]
        indexes = [
            models.Index(fields=["kind", "-occurred_at"], name="core_audit_kind_time"),
            models.Index(fields=["user", "-occurred_at"], name="core_audit_user_time"),
            models.Index(fields=["target_model", "target_id"], name="core_audit_target"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.username} {self.occurred_at:%Y-%m-%d %H:%M}"


# Bookkeeping of work on the records (background jobs, uploaded imports, the export log).
from core.job_models import ExportLog, ImportUpload, Job  # noqa: E402, F401

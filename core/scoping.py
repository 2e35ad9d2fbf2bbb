"""Who may see and change which rows: the one place scoping is defined.

Every model's queryset inherits `ScopedQuerySet` and answers two questions:
`visible_to(user)` (what may be read) and `editable_by(user)` (what may be
written). Region-scoped roles see the subtree of their region. Branch
secretaries and committee directors are scoped by the posts their person
holds; the querysets in `branches` (and the apps above it) say what that
means for each model by overriding `visible_to_member` / `editable_by_member`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNTY_STAFF = "county_staff", _("老干部局工作人员")
    COMMITTEE_STAFF = "committee_staff", _("关工委办公室工作人员")
    BRANCH_SECRETARY = "branch_secretary", _("支部书记")
    COMMITTEE_DIRECTOR = "committee_director", _("关工委执行主任")
    LEADER = "leader", _("领导")
    ADMIN = "admin", _("系统管理员")

    @classmethod
    def region_scoped(cls) -> list[str]:
        return [cls.COUNTY_STAFF, cls.COMMITTEE_STAFF, cls.LEADER]

    @classmethod
    def post_scoped(cls) -> list[str]:
        return [cls.BRANCH_SECRETARY, cls.COMMITTEE_DIRECTOR]


class ScopedQuerySet(models.QuerySet):
    """Base queryset of every scoped model.

    Subclasses set `region_path` (the lookup from the model to its Region,
    e.g. "branch__region"), which region-scoped roles may read
    (`region_readers`) and write (`region_editors`), and override the
    `*_member` methods for post-scoped roles. Administrators see everything.
    """

    region_path = "region"
    region_readers: frozenset = frozenset({Role.COUNTY_STAFF})
    region_editors: frozenset = frozenset({Role.COUNTY_STAFF})

    def bulk_create(self, objs, *args, **kwargs):
        # bulk_create skips save(): fill stored keys (e.g. PinyinNamed's) here too.
        objs = list(objs)
        for obj in objs:
            if hasattr(obj, "fill_derived_fields"):
                obj.fill_derived_fields()
        return super().bulk_create(objs, *args, **kwargs)

    def in_region(self, region):
        """Rows inside the region's subtree: one `LIKE 'prefix%'` on the code."""
        lookup = f"{self.region_path}__code__startswith" if self.region_path else "code__startswith"
        return self.filter(**{lookup: region.prefix})

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.role == Role.ADMIN:
            return self
        if user.role in self.region_readers:
            return self.in_region(user.region) if user.region_id else self.none()
        if user.role in Role.post_scoped():
            return self.visible_to_member(user)
        return self.none()

    def editable_by(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.role == Role.ADMIN:
            return self
        if user.role in self.region_editors:
            return self.in_region(user.region) if user.region_id else self.none()
        if user.role in Role.post_scoped():
            return self.editable_by_member(user)
        return self.none()

    def visible_to_member(self, user):
        """Rows a branch secretary or committee director may read; none by default."""
        return self.none()

    def editable_by_member(self, user):
        """Rows a branch secretary or committee director may change; none by default."""
        return self.none()

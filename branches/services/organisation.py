"""Writes of the organisation area that touch several rows."""

import datetime as dt
from collections import Counter

import pghistory
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Branch, Post, YouthCareCommittee

# The one post of each kind an organisation may hold at a time (also a DB constraint).
SINGLE_ROLES = {Post.Role.SECRETARY: gettext_lazy("书记"), Post.Role.EXECUTIVE_DIRECTOR: gettext_lazy("执行主任")}


@transaction.atomic
def post_change_term(
    *,
    organisation: Branch | YouthCareCommittee,
    on: dt.date,
    posts: list[dict],
    by,
) -> list[Post]:
    """换届: end every current post of the organisation and start the new committee, all or nothing.

    `posts` are dicts with `person`, `role` and optionally `duty`,
    `outside_role` and `monthly_allowance`. The old posts end the day before
    `on`; the new ones start on `on`. Raises ValidationError (and saves
    nothing) when the new committee is invalid: a missing person, two
    secretaries or executive directors, a role that does not fit the
    organisation, or a current post that starts on or after `on`.
    Queries: 1 lock + 1 read of the current posts, 1 update, then one
    validation and one insert per new post.
    """
    is_branch = isinstance(organisation, Branch)
    org_field = "branch" if is_branch else "committee"
    allowed = Post.Role.branch_roles() if is_branch else Post.Role.committee_roles()

    if not posts:
        raise ValidationError(_("请至少填写一名新任委员"))
    for row in posts:
        if not row.get("person"):
            raise ValidationError(_("每一行都要选择人员"))
        if row.get("role") not in allowed:
            raise ValidationError(_("职务“%(role)s”不适用于该组织") % {"role": row.get("role")})
    counts = Counter(row["role"] for row in posts)
    for role, label in SINGLE_ROLES.items():
        if counts[role] > 1:
            raise ValidationError(_("新一届只能有一名%(role)s") % {"role": label})

    # Lock the organisation so two term changes of it cannot interleave.
    type(organisation).all_objects.select_for_update().filter(pk=organisation.pk).first()
    current = Post.objects.filter(**{org_field: organisation}).current(on) | Post.objects.filter(
        **{org_field: organisation}, start_on__gte=on, end_on__isnull=True
    )
    if current.filter(start_on__gte=on).exists():
        raise ValidationError(_("该组织已有在换届日期当天或之后开始的职务，请先修改或删除这些职务"))
    with pghistory.context(user=getattr(by, "pk", None)):
        current.update(end_on=on - dt.timedelta(days=1), updated_at=timezone.now())

    created = []
    for row in posts:
        post = Post(
            **{org_field: organisation},
            person=row["person"],
            role=row["role"],
            duty=row.get("duty") or "",
            outside_role=row.get("outside_role") or "",
            monthly_allowance=row.get("monthly_allowance"),
            start_on=on,
        )
        post.full_clean()
        try:
            with transaction.atomic(), pghistory.context(user=getattr(by, "pk", None)):
                post.save()
        except IntegrityError as error:
            raise ValidationError(_("保存未成功：新一届职务与现有记录冲突，请检查后重试")) from error
        created.append(post)
    return created

"""The kinds of record this app's pickers look up (`core.lookups`), registered from VolunteersConfig.ready()."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.formatting import with_note
from core.hooks import register_lookup
from core.lookups import Lookup, by_choice, by_pk, flag
from core.models import pinyin_name_q
from volunteers.models import Team, Volunteer


def volunteer_label(volunteer) -> str:
    return with_note(volunteer.person.name, f"{volunteer.number} {volunteer.committee.name}")


KINDS = {
    "volunteer": Lookup(
        model=Volunteer,
        search=lambda rows, q: rows.search(q),
        label=volunteer_label,
        related=("person", "committee"),
        filters={
            "committee": by_pk("committee_id"),
            "status": by_choice("status", Volunteer.Status),
            "serving": flag(Q(status__in=[Volunteer.Status.ACTIVE, Volunteer.Status.PAUSED])),
        },
        personal=True,
        placeholder=_("输入姓名、拼音、首字母或编号"),
    ),
    "team": Lookup(
        model=Team,
        search=lambda rows, q: rows.filter(pinyin_name_q(q)),
        filters={"committee": by_pk("committee_id"), "purpose": by_choice("purpose", Team.Purpose)},
        placeholder=_("输入名称、拼音或首字母"),
    ),
}


def register() -> None:
    for kind, lookup in KINDS.items():
        register_lookup(kind, lookup)

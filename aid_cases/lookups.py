"""The kinds of record this app's pickers look up (`core.lookups`), registered from AidCasesConfig.ready().

Children are personal (their labels name them): the lookup answers only roles that may see
personal data, and only the children `access.readable` gives them.
"""

from django.utils.translation import gettext_lazy as _

from aid_cases.models import AidCase, Child, Programme, Sponsor
from core.formatting import with_note
from core.hooks import register_lookup
from core.lookups import Lookup, by_choice
from core.models import pinyin_name_q

NAME_PLACEHOLDER = _("输入姓名、拼音或首字母")


def _child_label(child) -> str:
    return with_note(child.person.name, child.school or child.region.name)


KINDS = {
    "child": Lookup(
        model=Child,
        search=lambda rows, q: rows.filter(pinyin_name_q(q, prefix="person__")),
        label=_child_label,
        related=("person", "region"),
        personal=True,
        placeholder=NAME_PLACEHOLDER,
    ),
    "aid_case": Lookup(
        model=AidCase,
        search=lambda rows, q: rows.filter(pinyin_name_q(q, prefix="child__person__")),
        label=str,
        related=("child__person", "programme"),
        personal=True,
        placeholder=NAME_PLACEHOLDER,
    ),
    "sponsor": Lookup(
        model=Sponsor,
        search=lambda rows, q: rows.filter(pinyin_name_q(q)),
        filters={"kind": by_choice("kind", Sponsor.Kind)},
        personal=True,  # individuals are named
        placeholder=_("输入名称、拼音或首字母"),
    ),
    "programme": Lookup(
        model=Programme,
        search=lambda rows, q: rows.filter(pinyin_name_q(q)),
        placeholder=_("输入名称、拼音或首字母"),
    ),
}


def register() -> None:
    for kind, lookup in KINDS.items():
        register_lookup(kind, lookup)

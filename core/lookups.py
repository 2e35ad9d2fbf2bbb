"""Search-as-you-type pickers over scoped sets: one lookup endpoint for every kind of record.

A *lookup kind* ("person", "branch" …) says which rows a picker offers (the
model's default manager, so archived rows are left out), how typed text finds
them (characters, full pinyin or initials), how a row is labelled, and which
named filters may narrow it for one field (only general branches; the members
of the branch chosen in the same form). Apps register their kinds in
`AppConfig.ready()` with `core.hooks.register_lookup`; core imports no app.

`GET /lookup/<kind>/?q=zq&kind=general` answers `[{"value": pk, "text": label}]`:
at most `LIMIT` of the rows `access.readable(user, ...)` gives, so a picker
never offers, or shows the name of, a record outside the user's scope. A role
without the view permission of the kind's model gets 403, and so does one
without `core.view_personal_data` for kinds that name people; an unknown kind
404; an unknown filter or a malformed value 400.

Forms (`core.forms.ScopedFormMixin`) and list filters (`core.filters.ScopedFilterSet`)
give every model choice over a registered model a `core.widgets.LookupSelect`;
the field's own scoped queryset still validates what is posted, and
`restrict(field, **params)` narrows both with the same named filters.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import access

LIMIT = 20  # answers per request: enough to pick from, few enough to read on a phone

# A named filter: `(queryset, value) -> narrower queryset`. It may only narrow (filter or
# exclude), never widen, and raises ValueError or ValidationError for a malformed value.
Filter = Callable[[models.QuerySet, str], models.QuerySet]


class BadLookup(ValueError):
    """An unknown filter name or a malformed filter value."""


def _pk(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def by_pk(path: str) -> Filter:
    """`?branch=12`: rows whose `path` (e.g. `branch_id`) is that pk."""

    def narrow(queryset, value):
        return queryset.filter(**{path: _pk(value)})

    return narrow


def by_choice(path: str, choices: type[models.TextChoices]) -> Filter:
    """`?level=town,village`: rows whose choice field is one of the comma-separated values."""

    def narrow(queryset, value):
        values = [v for v in value.split(",") if v]
        if not values or not set(values) <= set(choices.values):
            raise ValueError(value)
        return queryset.filter(**{f"{path}__in": values})

    return narrow


def flag(condition: models.Q) -> Filter:
    """`?current=1`: rows matching a fixed condition (`0` or empty: no narrowing)."""

    def narrow(queryset, value):
        if value not in ("0", "1"):
            raise ValueError(value)
        return queryset.filter(condition) if value == "1" else queryset

    return narrow


def exclude_pk(queryset, value):
    """`?exclude=7`: leave one row out (the record being edited, as its own parent)."""
    return queryset.exclude(pk=_pk(value))


@dataclass(frozen=True)
class Lookup:
    """One kind of record a picker looks up."""

    model: type[models.Model]
    search: Callable[[models.QuerySet, str], models.QuerySet]  # (rows, typed text) -> matching rows
    label: Callable[[models.Model], str] = str
    related: tuple[str, ...] = ()  # select_related for the label: one query for all the answers
    filters: Mapping[str, Filter] = field(default_factory=dict)  # `exclude` is always available
    personal: bool = False  # the labels name people: needs `core.view_personal_data` too
    placeholder: str = ""  # shown in the empty picker, e.g. "输入姓名、拼音或首字母"

    def may_use(self, user) -> bool:
        if not access.can(user, access.VIEW, self.model):
            return False
        return not self.personal or access.has_permission(user, "core.view_personal_data")

    def rows(self, user) -> models.QuerySet:
        """What the user may pick from: the rows they may read."""
        return access.readable(user, self.model.objects.all())

    def narrow(self, queryset: models.QuerySet, params: Mapping[str, str]) -> models.QuerySet:
        """Apply the named filters; BadLookup for a name the kind does not know or a malformed value."""
        for name, value in params.items():
            value = "" if value is None else str(value)
            if name == "exclude":
                narrow = exclude_pk
            elif name in self.filters:
                narrow = self.filters[name]
            else:
                raise BadLookup(name)
            if value == "":
                continue
            try:
                queryset = narrow(queryset, value)
            except (ValueError, TypeError, ValidationError) as error:
                raise BadLookup(f"{name}={value}") from error
        return queryset

    def with_related(self, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.select_related(*self.related) if self.related else queryset

    def answer(self, queryset: models.QuerySet, query: str) -> list[dict]:
        """The first `LIMIT` matches, labelled: one query."""
        query = (query or "").strip()[:50]
        if query:
            queryset = self.search(queryset, query)
        return [{"value": row.pk, "text": self.label(row)} for row in self.with_related(queryset)[:LIMIT]]


def get_lookup(kind: str) -> Lookup:
    from core.hooks import registry

    try:
        return registry.lookups[kind]
    except KeyError:
        raise LookupError(f"no lookup kind {kind!r} is registered (core.hooks.register_lookup)") from None


def kind_for(model) -> str | None:
    """The kind model choices over `model` use: the first registered for it, or None."""
    from core.hooks import registry

    for kind, lookup in registry.lookups.items():
        if lookup.model is model:
            return kind
    return None


@require_GET
@never_cache
def lookup(request: HttpRequest, kind: str) -> JsonResponse:
    """`/lookup/<kind>/?q=…`: at most LIMIT rows the user may read, as `[{"value", "text"}]`."""
    from core.hooks import registry

    entry = registry.lookups.get(kind)
    if entry is None:
        raise Http404
    if not entry.may_use(request.user):
        return JsonResponse({"error": "forbidden"}, status=403)
    params = {name: value for name, value in request.GET.items() if name != "q"}
    try:
        rows = entry.narrow(entry.rows(request.user), params)
    except BadLookup as error:
        return JsonResponse({"error": f"bad parameter: {error}"}, status=400)
    return JsonResponse(entry.answer(rows, request.GET.get("q", "")), safe=False)


# --- Core's own kinds ---------------------------------------------------------------------------


def register_core_kinds() -> None:
    """People and areas (called from CoreConfig.ready())."""
    from django.db.models import Q
    from django.utils.translation import gettext_lazy as _

    from core.formatting import with_note
    from core.hooks import register_lookup
    from core.models import Person, Region

    register_lookup(
        "person",
        Lookup(
            model=Person,
            search=lambda rows, q: rows.search(q),
            # Same names are common: the area tells 张伟 from 张伟. A visible person's area is in scope.
            label=lambda p: with_note(p.name, p.region.name),
            related=("region",),
            personal=True,
            placeholder=_("输入姓名、拼音或首字母"),
        ),
    )

    def region_label(region):
        below_county = region.level in (Region.Level.TOWN, Region.Level.VILLAGE) and region.parent_id
        return with_note(region.name, region.parent.name) if below_county else region.name

    register_lookup(
        "region",
        Lookup(
            model=Region,
            search=lambda rows, q: rows.filter(Q(name__contains=q) | Q(code__startswith=q)),
            label=region_label,
            related=("parent",),
            filters={"level": by_choice("level", Region.Level)},
            placeholder=_("输入区划名称或代码"),
        ),
    )

"""The one place that answers "may this user see, or do, this?".

Two things decide, and each lives in one place:

- what a *role* may do to a kind of record at all: the role table
  (`core.roles`, assembled from each app's `roles.py`), as Django permissions;
- *which rows* a user may read or change: the model's queryset
  (`visible_to(user)`, `editable_by(user)`, and a named method where one
  action has a rule of its own, declared in the queryset's `action_rules`).

Views, mixins, services, forms and templates ask the questions below and never
combine those two sources themselves:

- `get_readable(user, Model, pk=...)`: the record, or 404;
- `get_writable(user, Model, pk=..., action="change")`: the record, or 404
  when the user may not even see it, or 403 when they may see but not do it;
- `can(user, action, obj_or_model)`: yes or no, for templates
  (`{% can "change" object as may_change %}`) and forms;
- `require(user, action, obj_or_model)`: 403 unless `can`;
- `prefetch(user, rows, *actions)`: the `can` answers of a whole list, one query per action.

Actions are `view`, `add`, `change`, `archive` (the `delete_<model>`
permission: archiving is what deleting would be), `restore` (county staff's
`core.restore_records`), `view_history` (whoever may view the record, except
that the history of a personal record — a model with `personal_record = True`
— needs `core.view_personal_data` too) and named ones (`review`) whose
permission is `<app>.<action>_<model>`.

What a user may see *of* a record they can read is asked here too:
`shows_personal_data(user)` (people's names; leaders lack it),
`visible_id_number(user, number)` (masked, as every page and export shows it) and
`can_reveal_id_number(user, obj)` (may they ask for the whole number of this record,
stating why: the 显示完整号码 control and its POST).
"""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from core.validators import mask_id_number

VIEW = "view"
ADD = "add"
CHANGE = "change"
ARCHIVE = "archive"
RESTORE = "restore"
VIEW_HISTORY = "view_history"

PERSONAL_DATA = "core.view_personal_data"
FULL_ID_NUMBER = "core.view_id_number"

# The permission codename prefix of the actions whose name is not the permission's.
_PERMISSION_ACTION = {ARCHIVE: "delete", VIEW_HISTORY: "view"}


def permission_for(model, action: str) -> str:
    """The role permission an action needs on a kind of record: `branches.change_venue`."""
    if action == RESTORE:
        return "core.restore_records"
    opts = model._meta
    return f"{opts.app_label}.{_PERMISSION_ACTION.get(action, action)}_{opts.model_name}"


def has_permission(user, permission: str) -> bool:
    """The role table alone (menus, pages that list no record)."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm(permission)


def _model_of(target):
    if isinstance(target, str):
        return apps.get_model(target)
    if isinstance(target, models.Model):
        return type(target)
    if isinstance(target, models.QuerySet | models.Manager):
        return target.model
    return target


def _queryset(source) -> models.QuerySet:
    """A queryset from a model (its default manager: archived rows left out), a manager or a queryset."""
    if isinstance(source, models.QuerySet):
        return source
    if isinstance(source, models.Manager):
        return source.all()
    return source.objects.all()


def _all_rows(model) -> models.QuerySet:
    """Every row of the model, archived ones too (a row's own questions do not depend on it)."""
    manager = getattr(model, "all_objects", None) or model._base_manager
    return manager.all()


def rows(user, source, action: str = VIEW) -> models.QuerySet:
    """The rows of `source` that the user may act on: the queryset's row rule for the action.

    `view` uses `visible_to`; an action listed in the queryset's `action_rules`
    uses that method (e.g. `{"review": "reviewable_by"}`); every other action
    uses `editable_by`. The role permission is not checked here (see `can`).
    """
    queryset = _queryset(source)
    if _row_rule(action) == VIEW:
        return queryset.visible_to(user)
    method = getattr(queryset, "action_rules", {}).get(action, "editable_by")
    return getattr(queryset, method)(user)


def _row_rule(action: str) -> str:
    """The row rule an action asks: seeing a record's history follows the rule for seeing the record."""
    return VIEW if action == VIEW_HISTORY else action


def readable(user, source) -> models.QuerySet:
    """The rows the user may see (for lists, form choices, pickers and exports)."""
    return rows(user, source, VIEW)


def _cache(user) -> dict:
    cache = getattr(user, "_access_cache", None)
    if cache is None:
        cache = {}
        user._access_cache = cache  # one request's user: answers do not outlive it
    return cache


def can(user, action: str, target) -> bool:
    """May the user do `action` to this record (a model instance) or to this kind of record (a model)?

    For a model, only the role permission is asked (e.g. may they add branches at
    all); for a record, the row rule too. One query per distinct question per request.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    model = _model_of(target)
    if not user.has_perm(permission_for(model, action)):
        return False
    if action == VIEW_HISTORY and is_personal(model) and not user.has_perm(PERSONAL_DATA):
        return False  # a person's history names who changed what about them: not for leaders
    if not isinstance(target, models.Model):
        return True
    if target.pk is None:
        return False
    rule = _row_rule(action)  # one cached answer for "view" and "view_history"
    key = (rule, model._meta.label, target.pk)
    cache = _cache(user)
    if key not in cache:
        cache[key] = rows(user, _all_rows(model), rule).filter(pk=target.pk).exists()
    return cache[key]


def is_personal(model) -> bool:
    """Is a record of this kind about one person (Person, Retiree …: `personal_record = True`)?"""
    return bool(getattr(model, "personal_record", False))


def shows_personal_data(user) -> bool:
    """May the user see people's names and other personal data at all? (Leaders may not.)"""
    return has_permission(user, PERSONAL_DATA)


def visible_id_number(user, number: str) -> str:
    """An ID number as pages, lists, exports and histories show it to every user: `511102********1234`.

    The whole number is shown only on request, one record at a time, to a user who may
    reveal it (`can_reveal_id_number`) and states why; each request is audited.
    """
    return mask_id_number(number)


def id_number_permission(target) -> str:
    """The role permission that reveals a record's whole ID number: `core.view_id_number`, unless
    the model names its own (`id_number_permission = "aid_cases.view_child_id_number"`)."""
    return getattr(_model_of(target), "id_number_permission", FULL_ID_NUMBER)


def can_reveal_id_number(user, obj) -> bool:
    """May the user ask for the whole ID number of this record (a Person, or a record naming the
    permission it needs)? Their role holds that permission and they may see the record.
    One query (the row rule), cached for the request."""
    return has_permission(user, id_number_permission(obj)) and can(user, VIEW, obj)


def require_reveal_id_number(user, obj) -> None:
    """403 unless `can_reveal_id_number` (the record itself was loaded with `get_readable`: 404 before)."""
    if not can_reveal_id_number(user, obj):
        raise PermissionDenied


def prefetch(user, objects, *actions: str) -> None:
    """Answer `can(user, action, obj)` for every record of a list (one model), one query per action.

    A page that asks `{% can %}` for each row of a list (its edit or archive
    buttons, its links) calls this first with the rows, so the page's query
    count does not grow with the list; `can` answers the same without it.
    """
    objects = [obj for obj in objects if obj.pk is not None]
    if not objects or not getattr(user, "is_authenticated", False) or not user.is_active:
        return
    model = type(objects[0])
    pks = {obj.pk for obj in objects}
    cache = _cache(user)
    for action in actions:
        if not user.has_perm(permission_for(model, action)):
            continue  # `can` refuses without asking the rows
        rule = _row_rule(action)
        allowed = set(rows(user, _all_rows(model), rule).filter(pk__in=pks).values_list("pk", flat=True))
        for pk in pks:
            cache[(rule, model._meta.label, pk)] = pk in allowed


def seen(user, obj) -> None:
    """`obj` was just loaded through `readable`: `can(user, "view", obj)` needs no query of its own."""
    if obj is not None and obj.pk is not None:
        _cache(user)[(VIEW, type(obj)._meta.label, obj.pk)] = True


def require(user, action: str, target) -> None:
    """403 unless `can(user, action, target)`."""
    if not can(user, action, target):
        raise PermissionDenied


def get_readable(user, source, **lookup):
    """The record the user may see (else 404) whose role may view such records (else 403).

    `source` is a model (archived rows left out), `Model.all_objects` (archived rows
    too) or a queryset with its `select_related`; `lookup` is e.g. `pk=pk`.
    """
    model = _model_of(source)
    try:
        obj = readable(user, source).get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error
    if not user.has_perm(permission_for(model, VIEW)):
        raise PermissionDenied
    seen(user, obj)
    return obj


def get_writable(user, source, *, action: str = CHANGE, **lookup):
    """The record the user may `action` (change, archive, restore, review …).

    404 when the user may not even see it (nothing about it is revealed), 403
    when their role lacks the permission or the row rule refuses.
    """
    obj = get_readable(user, source, **lookup)
    require(user, action, obj)
    return obj


def get_own(user, source, **lookup):
    """The record the user may change, else 404 even for those who may read it (administrators):
    for what only its owner may take away (a background export's file)."""
    model = _model_of(source)
    try:
        return rows(user, source, CHANGE).get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error

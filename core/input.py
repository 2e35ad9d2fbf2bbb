"""Bad input stopped in one place, for every app.

* `strip_control_characters(querydict)`: NUL and the other control characters (except tab
  and line breaks) never reach a form, a filter or PostgreSQL (which refuses NUL in text).
  `core.security.SecurityMiddleware` applies it to every GET and form POST.
* `bound_dates(models)`: every `DateField` of every model refuses dates before 1900 and
  more than `DATE_MAX_YEARS_AHEAD` years ahead; dates of things that happened
  (`PAST_DATE_NAMES`, and a model's own `past_date_fields`) refuse the future too.
  The validators are on the model field, so every ModelForm shows them on the field.
* `parse_month(text)`: a month as people write it (2020-06, 2020/6, 2020年6月, or a whole
  date), for `core.forms.MonthField` and the imports.
* `constraint_error(error, model)`: the Chinese message for an IntegrityError, so a
  violated constraint becomes a message on the form (see `core.forms.save_or_error`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import QueryDict
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EARLIEST_DATE = dt.date(1900, 1, 1)
DATE_MAX_YEARS_AHEAD = 10
# Dates of things that have happened, by the names the apps use for them: never in the future.
# A model lists its own in `past_date_fields` to add to these.
PAST_DATE_NAMES = frozenset(
    {
        "birth_date",
        "died_on",
        "retired_on",
        "joined_party_on",
        "founded_on",
        "dissolved_on",
        "happened_on",
        "visited_on",
        "checked_in_on",
        "caught_up_on",
        "paid_on",
        "received_on",
        "resolved_on",
        "awarded_on",
    }
)


# A month as people write it: 2020-06, 2020-6, 2020/6, 2020.6, 2020年6月 (full-width digits too).
_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


def parse_month(text: str) -> dt.date | None:
    """The first day of the month written in `text`, or None. A whole date gives its month."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    match = _MONTH.match(text)
    if match:
        year, month = int(match[1]), int(match[2])
        return dt.date(year, month, 1) if 1 <= month <= 12 else None
    try:
        day = forms.DateField().to_python(text)
    except ValidationError:
        return None
    return day.replace(day=1) if day else None


def strip_control_characters(data: QueryDict) -> QueryDict:
    """The same data without control characters (the original when it has none: no copy)."""
    if not any(
        CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(v) for v in values)
        for key, values in data.lists()
    ):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(CONTROL_CHARACTERS.sub("", key), [CONTROL_CHARACTERS.sub("", v) for v in values])
    cleaned._mutable = False
    return cleaned


@deconstructible
class DateBounds:
    """Refuses dates before 1900 and after today (past_only) or after DATE_MAX_YEARS_AHEAD years."""

    def __init__(self, past_only: bool = False, lower_only: bool = False):
        self.past_only = past_only
        self.lower_only = lower_only

    def __call__(self, value):
        if not isinstance(value, dt.date):
            return
        if value < EARLIEST_DATE:
            raise ValidationError(_("日期不能早于1900年1月1日，请核对。"), code="date_too_early")
        if self.lower_only:
            return
        today = timezone.localdate()
        if self.past_only and value > today:
            raise ValidationError(_("日期不能晚于今天，请核对。"), code="date_in_future")
        if value.year > today.year + DATE_MAX_YEARS_AHEAD:
            raise ValidationError(
                _("日期不能晚于%(year)s年，请核对。"),
                code="date_too_late",
                params={"year": today.year + DATE_MAX_YEARS_AHEAD},
            )

    def __eq__(self, other):
        return isinstance(other, DateBounds) and (other.past_only, other.lower_only) == (
            self.past_only,
            self.lower_only,
        )


def bound_dates(model_classes) -> None:
    """Put `DateBounds` on every DateField of the given models (from `CoreConfig.ready()`).

    Appended to the field's computed `validators`, not its constructor arguments, so no
    migration changes and every app's models get it without asking.
    """
    for model in model_classes:
        past = PAST_DATE_NAMES | set(getattr(model, "past_date_fields", ()))
        # Fields whose model checks the future itself, with its own message (Person.birth_date).
        own = set(getattr(model, "future_dates_checked_by_model", ()))
        for field in model._meta.get_fields():
            ours = type(field) is models.DateField and field.concrete and field.model is model
            if ours and not any(isinstance(v, DateBounds) for v in field.validators):
                field.validators.append(DateBounds(past_only=field.name in past, lower_only=field.name in own))


def constraint_error(error, model=None) -> ValidationError:
    """A ValidationError for an IntegrityError: the constraint's own message when it has one."""
    name = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
    for constraint in getattr(getattr(model, "_meta", None), "constraints", ()):
        if constraint.name == name and constraint.violation_error_message != constraint.default_violation_error_message:
            return ValidationError(constraint.violation_error_message, code="constraint")
    return ValidationError(
        _("保存未成功：与已有的记录重复或冲突（例如同样的一条记录已经存在且尚未结束）。请核对后再保存。"),
        code="constraint",
    )

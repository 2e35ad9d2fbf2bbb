"""Form mechanisms every edit page uses: scoped choices, optimistic locking, service errors."""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import access
from core.formatting import format_cn_date
from core.input import DateBounds, constraint_error, parse_month
from core.widgets import MonthInput, use_picker

# What Django and django-filter put on an empty choice; people read "---------" as a broken page.
_DEFAULT_EMPTY_LABELS = {"---------", "—", "", "Unknown", "未知"}


_EMPTY_VALUES = ("", "unknown", None)  # NullBooleanSelect's empty choice is "unknown"


class MonthField(forms.DateField):
    """A month, cleaned to its first day: what a monthly payment or a pause is counted in."""

    widget = MonthInput
    default_error_messages = {"invalid": _("请填写年月，例如 2020-06 或 2020年6月")}

    def __init__(self, **kwargs):
        kwargs.setdefault("validators", [DateBounds()])
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date().replace(day=1)
        if isinstance(value, dt.date):
            return value.replace(day=1)
        month = parse_month(str(value))
        if month is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return month


def _relabel(choices, label) -> list:
    def is_default_empty(value, text):
        return value in _EMPTY_VALUES and not isinstance(text, (list, tuple)) and str(text) in _DEFAULT_EMPTY_LABELS

    return [(value, label) if is_default_empty(value, text) else (value, text) for value, text in choices]


def label_empty_choices(form: forms.BaseForm, label) -> forms.BaseForm:
    """Give every dropdown's empty choice the words people expect: 请选择 in forms, 全部 in filters.

    Covers plain and model selects and the pickers (`LookupSelect`: Tom Select's
    placeholder is its own); labels a form set on purpose stay."""
    for field in form.fields.values():
        widget = field.widget
        if not isinstance(widget, forms.Select) or isinstance(widget, forms.SelectMultiple):
            continue  # radios, checkboxes and multiple choices have no empty choice
        if getattr(field, "empty_label", None) is not None:  # model choices, django-filter's choices
            if str(field.empty_label) in _DEFAULT_EMPTY_LABELS:
                field.empty_label = label
                widget.choices = field.choices
            continue
        choices = list(widget.choices)
        relabelled = _relabel(choices, label)
        if relabelled != choices:
            if isinstance(field, forms.ChoiceField):
                field.choices = relabelled
            else:
                widget.choices = relabelled
    return form


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form that called it: each message on the
    field it names, and at the top of the form those naming no field (or one the form lacks)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def save_or_error(form: forms.BaseForm, save=None):
    """Save the form (or call `save()`) in a savepoint; on a violated database constraint put
    its message on the form and return None, so the view re-renders instead of failing:

        if form.is_valid() and save_or_error(form) is not None:
            return redirect(...)
    """
    try:
        with transaction.atomic():
            return save() if save is not None else form.save()
    except IntegrityError as error:
        form.add_error(None, constraint_error(error, getattr(getattr(form, "_meta", None), "model", None)))
        return None


class ScopedFormMixin:
    """Takes the `user` keyword and limits every model choice to what they may see.

    Any ModelChoiceField whose queryset has `visible_to` is narrowed to the
    user's scope, so a form can never offer (or accept) a branch, person or
    region of another county. Those over a model with a lookup kind
    (`core.lookups`) become search-as-you-type pickers (`core.widgets.LookupSelect`)
    that render only the chosen rows; narrow one further with
    `core.widgets.restrict(field, **params)`.
    """

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                field.queryset = access.readable(user, queryset)
                use_picker(field)
        label_empty_choices(self, _("请选择"))

    def forward_to_lookup(self, name: str, **params: str) -> None:
        """Send other fields' current values with the picker's lookups: `forward_to_lookup("retiree", branch="branch")`.

        The form's `clean` must still check the pair (the browser sends what it likes).
        """
        self.fields[name].widget.forward.update({param: self.add_prefix(other) for param, other in params.items()})


@dataclass
class ConflictChange:
    label: str
    theirs: str  # what the stored record holds (the other person's save)
    yours: str  # what the user typed


def _shown(field, value) -> str:
    if value in (None, "", [], set()):
        return "—"
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, dt.date):
        return format_cn_date(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, (list, tuple, set)):
        return gettext("、").join(sorted(str(v) for v in value))
    return str(value)


def conflict_changes(form: forms.ModelForm, current) -> list[ConflictChange]:
    """The fields of `form` whose input differs from the stored record `current`, as
    (label, theirs, yours); fields the user's input did not pass are left out."""
    opts = current._meta
    model_fields = {f.name: f for f in [*opts.concrete_fields, *opts.many_to_many]}
    rows = []
    for name, form_field in form.fields.items():
        field = model_fields.get(name)
        if field is None or name == "version" or name not in getattr(form, "cleaned_data", {}):
            continue
        yours = form.cleaned_data[name]
        if field.many_to_many:
            theirs = set(getattr(current, name).all())
            yours = set(yours or ())
        elif field.is_relation:
            theirs = getattr(current, name)
        else:
            theirs = field.value_from_object(current)
            theirs, yours = ("" if theirs is None else theirs), ("" if yours is None else yours)
        if theirs != yours:
            rows.append(
                ConflictChange(str(form_field.label or field.verbose_name), _shown(field, theirs), _shown(field, yours))
            )
    return rows


class VersionedModelForm(ScopedFormMixin, forms.ModelForm):
    """A ModelForm that refuses to overwrite a change made since it was opened.

    The record's `version` travels in a hidden field. On save the row is
    locked and saved only if its version is still the one the user saw
    (`DomainModel.lock_unchanged`); the database then raises the version by
    one and the instance reads it back. A second editor working from the old
    version gets a clear error and the first editor's change is kept.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    missing_version_message = _("保存未成功：页面内容不完整（缺少版本信息），请重新打开本页后再保存。")
    conflict_message = _(
        "保存未成功：这条记录已在%(when)s被%(who)s修改。您填写的内容还在表单里；请对照下面列出的不同之处核对，"
        "确认后再点保存，将以您填写的为准。"
    )
    conflict_changes: list = ()  # ConflictChange rows for the page, filled by conflict_error

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.is_bound and cleaned.get("version") is None:
            # Without the version we cannot know whether someone else saved meanwhile.
            raise ValidationError(self.missing_version_message, code="version_missing")
        if self.instance.pk and cleaned.get("version") not in (
            None,
            self.instance.version,
        ):
            raise ValidationError(self.conflict_error(), code="stale")
        return cleaned

    def conflict_error(self, changed_at=None) -> str:
        """The message for a refused save: who saved and when (the record's history), `changed_at`
        when known (default: the stored row's). It also lists what differs between the stored
        record and the user's input (`conflict_changes`) and moves the hidden version to the
        stored one, so the user's own edits stay on the form and saving again, after reading
        the differences, keeps them."""
        from core.history import history_of  # history reads access and formatting, which import forms' neighbours

        current = type(self.instance)._base_manager.filter(pk=self.instance.pk).first()
        who = _("其他人")
        if current is not None:
            changed_at = changed_at or current.updated_at
            latest = next(iter(history_of(current, self.user, limit=1)), None)
            if latest is not None and latest.user is not None:
                who = latest.editor
            self.conflict_changes = conflict_changes(self, current)
            if self.is_bound:
                self.data = self.data.copy()
                self.data[self.add_prefix("version")] = current.version
        when = timezone.localtime(changed_at or self.instance.updated_at)  # stored in UTC, read in TIME_ZONE
        return self.conflict_message % {"when": format_cn_date(when.date()) + when.strftime(" %H:%M"), "who": who}

    def seen_version(self) -> int:
        """The version the form was opened with (the instance's when the hidden field was not sent back)."""
        return self.cleaned_data.get("version") or self.instance.version

    def save(self, commit=True):
        if not commit or not self.instance.pk:
            return super().save(commit=commit)
        with transaction.atomic():
            self.instance.lock_unchanged(self.seen_version())
            saved = super().save(commit=True)
            saved.refresh_from_db(fields=["version"])  # raised by the database, not here
        return saved

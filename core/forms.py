"""Form mechanisms every edit page uses: scoped choices, optimistic locking, service errors."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import access
from core.formatting import format_cn_date
from core.input import constraint_error
from core.widgets import use_picker


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

    def forward_to_lookup(self, name: str, **params: str) -> None:
        """Send other fields' current values with the picker's lookups: `forward_to_lookup("retiree", branch="branch")`.

        The form's `clean` must still check the pair (the browser sends what it likes).
        """
        self.fields[name].widget.forward.update({param: self.add_prefix(other) for param, other in params.items()})


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
        "保存未成功：这条记录已在%(when)s被其他人修改。为避免覆盖别人的修改，请重新打开本页，核对最新内容后再保存。"
    )

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
        """The message for a refused save; `changed_at` is when the other save happened (default: the instance's)."""
        when = timezone.localtime(changed_at or self.instance.updated_at)  # stored in UTC, read in TIME_ZONE
        return self.conflict_message % {"when": format_cn_date(when.date()) + when.strftime(" %H:%M")}

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

"""Form mechanisms every edit page uses: scoped choices, optimistic locking, service errors."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.formatting import format_cn_date


class StaleRecordError(Exception):
    """Somebody saved the record after this form was opened."""


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form that called it: each message on the
    field it names, and at the top of the form those naming no field (or one the form lacks)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ScopedFormMixin:
    """Takes the `user` keyword and limits every model choice to what they may see.

    Any ModelChoiceField whose queryset has `visible_to` is narrowed to the
    user's scope, so a form can never offer (or accept) a branch, person or
    region of another county.
    """

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                field.queryset = queryset.visible_to(user)


class VersionedModelForm(ScopedFormMixin, forms.ModelForm):
    """A ModelForm that refuses to overwrite a change made since it was opened.

    The record's `version` travels in a hidden field. On save the row is
    updated only if its version is still the one the user saw
    (`UPDATE ... WHERE version = n`), and the version goes up by one; a second
    editor working from the old version gets a clear error and the first
    editor's change is kept.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    conflict_message = _(
        "保存未成功：这条记录已在%(when)s被其他人修改。为避免覆盖别人的修改，请重新打开本页，核对最新内容后再保存。"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("version") not in (
            None,
            self.instance.version,
        ):
            raise ValidationError(self.conflict_error(), code="stale")
        return cleaned

    def conflict_error(self) -> str:
        when = timezone.localtime(self.instance.updated_at)  # stored in UTC, read in TIME_ZONE
        return self.conflict_message % {"when": format_cn_date(when.date()) + when.strftime(" %H:%M")}

    def save(self, commit=True):
        if not commit or not self.instance.pk:
            return super().save(commit=commit)
        seen = self.cleaned_data.get("version") or self.instance.version
        manager = type(self.instance)._base_manager
        with transaction.atomic():
            # Lock the row so a concurrent save waits here, then sees the new version.
            current = list(manager.select_for_update().filter(pk=self.instance.pk).values_list("version", "updated_at"))
            if [version for version, _ in current] != [seen]:
                if current:  # the conflict message names the time of the other person's save
                    self.instance.updated_at = current[0][1]
                raise StaleRecordError
            self.instance.version = seen + 1
            return super().save(commit=True)

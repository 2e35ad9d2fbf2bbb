"""The project's form widgets: one date input and one picker, used everywhere."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core.input import parse_month
from core.lookups import get_lookup, kind_for


class DateInput(forms.DateInput):
    """`<input type="date">`: the phone's or browser's own date picker.

    Browsers send ISO dates (2016-09-05); the field still accepts the Chinese
    ways of writing one (2016年9月5日, 2016/9/5: config/formats) from anything
    else that posts, and a value posted that way is shown back as ISO, the only
    value a date input takes.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        # static/js/date_typing.js adds a hint below the field and a switch to a text box, for
        # those who would rather type the date (or whose browser's picker refuses typing).
        attrs = {
            "data-typed-date": "",
            "data-hint": _("可点日历选择，也可点“改为键盘输入”直接写，例如 2016年9月5日、2016/9/5"),
            "data-type-label": _("改为键盘输入"),
            "data-pick-label": _("改为日历选择"),
            **(attrs or {}),
        }
        super().__init__(attrs, format="%Y-%m-%d")

    def format_value(self, value):
        if isinstance(value, str) and value:
            try:
                value = forms.DateField().to_python(value)
            except ValidationError:
                return value
        return super().format_value(value)


class MonthInput(forms.DateInput):
    """`<input type="month">` for a month (a pairing's pause, a disbursement's month paid).

    Browsers with a month picker send 2020-06; where there is none (desktop Firefox) it is a
    text box, and `core.forms.MonthField` reads 2020-06, 2020/6, 2020年6月 or a whole date.
    """

    input_type = "month"

    def __init__(self, attrs=None):
        attrs = {"placeholder": _("例如 2020-06 或 2020年6月"), **(attrs or {})}
        super().__init__(attrs, format="%Y-%m")

    def format_value(self, value):
        if isinstance(value, str) and value:
            parsed = parse_month(value)
            return f"{parsed:%Y-%m}" if parsed else value
        return super().format_value(value)


class PhoneInput(forms.TextInput):
    """A phone number: `type="tel"` opens the number keypad on a phone."""

    input_type = "tel"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "tel", "autocomplete": "tel", **(attrs or {})})


class LookupSelect(forms.Select):
    """A search-as-you-type picker over `/lookup/<kind>/` (Tom Select, started by static/js/yinling.js).

    Renders only the chosen option(s), never the rows one could choose: those
    are looked up as the user types (name, pinyin or initials). `params` narrow
    the kind with its named filters (`core.lookups`); `forward` maps a filter to
    another field of the form, whose current value the browser sends with
    each lookup (`{"branch": "branch"}`: the members of the chosen branch).
    """

    def __init__(self, kind: str, *, params=None, forward=None, attrs=None):
        super().__init__(attrs)
        self.kind = kind
        self.params = dict(params or {})
        self.forward = dict(forward or {})

    def __deepcopy__(self, memo):
        obj = super().__deepcopy__(memo)
        obj.params = dict(self.params)
        obj.forward = dict(self.forward)
        return obj

    @property
    def lookup(self):
        return get_lookup(self.kind)

    def narrow(self, queryset):
        """The queryset narrowed by this widget's params (the same filters the lookup applies)."""
        return self.lookup.narrow(queryset, self.params)

    def url(self) -> str:
        url = reverse("core:lookup", kwargs={"kind": self.kind})
        params = {name: value for name, value in self.params.items() if value not in (None, "")}
        return f"{url}?{urlencode(params)}" if params else url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.update(
            {
                "data-lookup-url": self.url(),
                "data-placeholder": str(self.lookup.placeholder or _("输入名称、拼音或首字母")),
                "data-lookup-empty": str(_("没有找到，请换个写法")),
                "data-lookup-loading": str(_("正在查找…")),
                "data-lookup-remove": str(_("移除")),
                "autocomplete": "off",
            }
        )
        if self.forward:
            widget_attrs["data-lookup-forward"] = json.dumps(self.forward)
        return context

    def optgroups(self, name, value, attrs=None):
        # Only the empty choice and the chosen rows, in one query: a county has thousands to choose from.
        every = self.choices
        self.choices = self._chosen(every, value)
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = every

    def _chosen(self, choices, values) -> list:
        values = [str(v) for v in values if v not in (None, "")]
        if not isinstance(choices, ModelChoiceIterator):
            return [(v, label) for v, label in choices if v == "" or str(v) in values]
        field = choices.field
        chosen = [("", field.empty_label)] if field.empty_label is not None else []
        key = field.to_field_name or "pk"
        model_field = field.queryset.model._meta.pk if key == "pk" else field.queryset.model._meta.get_field(key)
        keys = []
        for v in values:
            try:
                keys.append(model_field.to_python(v))
            except ValidationError:
                continue  # not a key at all: nothing to show, the field reports it
        if keys:
            # Through the field's scoped queryset: a posted pk outside the scope shows no name.
            rows = self.lookup.with_related(field.queryset.filter(**{f"{key}__in": keys}))
            chosen += [(choices.choice(row)[0], self.lookup.label(row)) for row in rows]
        return chosen


class LookupSelectMultiple(LookupSelect, forms.SelectMultiple):
    """The picker for several rows (venues of a branch, branches a member guides)."""


def picker_for(model, widget=None) -> LookupSelect | None:
    """The picker for a model choice over `model`, replacing a plain Select / SelectMultiple.

    None when no kind is registered for the model (naturally short lists such as
    assessment schemes stay selects) or when the form chose another widget
    (hidden inputs, radio buttons, checkboxes, an explicit picker).
    """
    if widget is not None and type(widget) not in (forms.Select, forms.SelectMultiple):
        return None
    kind = kind_for(model)
    if kind is None:
        return None
    multiple = isinstance(widget, forms.SelectMultiple)
    return (LookupSelectMultiple if multiple else LookupSelect)(kind, attrs=getattr(widget, "attrs", None))


def use_picker(field) -> None:
    """Give a form's model choice field the picker of its model (see `picker_for`)."""
    picker = picker_for(field.queryset.model, field.widget)
    if picker is not None:
        picker.is_required = field.widget.is_required
        field.widget = picker
        field.widget.choices = field.choices


def restrict(field, **params) -> None:
    """Narrow a picker field with its kind's named filters: `restrict(form.fields["parent"], kind="general")`.

    The field then accepts, and the lookup then answers, the same narrower set.
    """
    widget = field.widget
    if not isinstance(widget, LookupSelect):
        raise TypeError(f"{field!r} has no picker to restrict")
    params = {name: str(value) for name, value in params.items() if value not in (None, "")}
    widget.params.update(params)
    field.queryset = widget.lookup.narrow(field.queryset, params)

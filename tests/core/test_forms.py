"""A service's ValidationError shown on the form that called it (core.forms.add_service_errors)."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from core.forms import add_service_errors


class NameForm(forms.Form):
    name = forms.CharField()


def _bound() -> NameForm:
    form = NameForm({"name": "张谦"})
    assert form.is_valid() is True
    return form


def test_a_message_for_a_field_of_the_form_goes_on_that_field():
    form = _bound()
    add_service_errors(form, ValidationError({"name": "该姓名已登记"}))
    assert form.errors == {"name": ["该姓名已登记"]}


def test_messages_for_no_field_or_a_field_the_form_lacks_go_at_the_top():
    form = _bound()
    add_service_errors(form, ValidationError({"branch": "该支部已撤销", NON_FIELD_ERRORS: "请稍后再试"}))
    assert form.non_field_errors() == ["该支部已撤销", "请稍后再试"]
    form = _bound()
    add_service_errors(form, ValidationError("保存未成功"))
    assert form.non_field_errors() == ["保存未成功"]

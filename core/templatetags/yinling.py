"""Display filters available in every template (registered as a builtin)."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core import access, formatting

register = template.Library()


@register.filter
def yuan(amount):
    return formatting.format_yuan(amount)


@register.filter
def wan_yuan(amount):
    return formatting.format_wan_yuan(amount)


@register.filter
def cn_date(value):
    return formatting.format_cn_date(value)


@register.filter
def cn_month(value):
    return formatting.format_cn_month(value)


@register.filter
def person_times(value):
    return formatting.format_person_times(value)


@register.filter(is_safe=True, needs_autoescape=True)
def join_cn(values, autoescape=True):
    """An enumeration joined with the list separator: "、" in Chinese, ", " in English."""
    escape = conditional_escape if autoescape else str
    return mark_safe(_("、").join(str(escape(v)) for v in values))  # noqa: S308 (parts escaped above)


@register.filter(is_safe=True, needs_autoescape=True)
def paren(note, autoescape=True):
    """A note in brackets after a name or link: "（书记）" in Chinese, " (Secretary)" in English."""
    escape = conditional_escape if autoescape else str
    return mark_safe(_("（%(note)s）") % {"note": escape(note)})  # noqa: S308 (note escaped above)


@register.simple_tag(takes_context=True)
def id_number(context, person):
    """The ID number masked, for every viewer (the whole number: core/partials/id_number.html's 显示完整号码)."""
    number = getattr(person, "id_number", "") or ""
    if not number:
        return _("未登记")
    user = context.get("user") or context["request"].user
    return access.visible_id_number(user, number)


@register.simple_tag(takes_context=True)
def can_reveal_id_number(context, record):
    """`{% can_reveal_id_number person as may_reveal %}`: may the user ask for the whole number (core.access)?"""
    user = context.get("user") or context["request"].user
    return access.can_reveal_id_number(user, record)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (pagination, sorting)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.simple_tag(takes_context=True)
def can(context, action, target):
    """`{% can "change" object as may_change %}`: the one access question, asked in templates.

    `target` is a record or a model label such as "branches.Branch" (may the role do it at all).
    """
    user = context.get("user") or context["request"].user
    return access.can(user, action, target)


@register.simple_tag(takes_context=True)
def page_sections(context, page, obj):
    """`{% page_sections "branches:branch_detail" object %}`: the sections apps registered for this page
    (`core.hooks.register_page_section`), each rendered from its own template."""
    from django.template.loader import render_to_string

    from core.hooks import registry

    request = context["request"]
    parts = []
    for func in registry.page_sections.get(page, []):
        section = func(request, obj)
        if section:
            parts.append(render_to_string(section["template"], {**section, "object": obj}, request=request))
    return mark_safe("".join(parts))  # noqa: S308 - each part is a template rendered with autoescape


@register.simple_tag(takes_context=True)
def person_name(context, person):
    """`{% person_name honour.person %}`: the person's name for users who may see personal data
    (`core.view_personal_data`), "个人" for the others (leaders read organisations and numbers)."""
    if person is None:
        return ""
    user = context.get("user") or context["request"].user
    return person.name if access.shows_personal_data(user) else _("个人")

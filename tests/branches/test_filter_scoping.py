"""List filters offer only what the user may see (django-filter must not undo the scoping)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url_name", ["branches:retiree_list", "branches:activity_list", "branches:need_list"])
def test_branch_choices_in_list_filters_stay_inside_the_scope(client, world, url_name):
    client.force_login(world.users["county_staff"])
    response = client.get(reverse(url_name))
    choices = response.context["filterset"].form.fields["branch"].queryset
    assert world.inside.branch in choices
    assert world.outside.branch not in choices
    assert world.outside.branch.name not in response.content.decode()

"""Which kinds of branch the regulations' default calendar applies to."""

import pytest

from branches.compliance import DEFAULT_RULES, requirements
from branches.models import Activity, Branch, ComplianceRule
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", [Branch.Kind.RETIREE, Branch.Kind.AGENCY_RETIREE])
def test_standing_branches_are_held_to_the_regulations(kind):
    assert {r.kind for r in requirements(kind, [])} == set(DEFAULT_RULES)


@pytest.mark.parametrize("kind", [Branch.Kind.TEMPORARY, Branch.Kind.FUNCTIONAL, Branch.Kind.GENERAL])
def test_other_branches_have_no_requirements_of_their_own(kind):
    assert requirements(kind, []) == []


def test_a_county_rule_sets_a_requirement_for_temporary_branches():
    county = f.RegionFactory()
    rule = ComplianceRule.objects.create(
        region=county,
        branch_kind=Branch.Kind.TEMPORARY,
        activity_kind=Activity.Kind.STUDY,
        period=ComplianceRule.Period.QUARTER,
        times=1,
    )
    [requirement] = requirements(Branch.Kind.TEMPORARY, [rule])
    assert (requirement.kind, requirement.period, requirement.times) == ("study", "quarter", 1)

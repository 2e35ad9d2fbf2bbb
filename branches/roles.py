"""What each role may do with the records of this app (core.roles assembles the table).

Patterns are `app_label.codename` with shell wildcards. Which *rows* a
permission reaches is the querysets' business (`visible_to` / `editable_by`).
"""

from core.scoping import Role

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Everything, reviewing assessments (review_assessment: AssessmentQuerySet.reviewable_by) too.
    Role.COUNTY_STAFF: ["branches.*"],
    Role.COMMITTEE_STAFF: [
        "branches.view_youthcarecommittee",
        "branches.add_youthcarecommittee",
        "branches.change_youthcarecommittee",
        "branches.delete_youthcarecommittee",
        # Committee posts only: PostQuerySet keeps branch posts out of their scope.
        "branches.*_post",
        "branches.view_venue",
        # They change committee honours only (TargetQuerySet.editable_by): a branch's or a
        # person's honour is county staff's.
        "branches.*_honour",
        # Committees' activities only (ActivityQuerySet keeps other organisers' out of their scope).
        "branches.*_activity",
        "branches.*_activityphoto",
        "branches.*_activityattachment",
        "branches.*_attendance",
        "branches.view_assessment*",
        "branches.add_assessment",
        "branches.change_assessment",
        "branches.change_assessmentitem",
        # Committee schemes (五好基层关工委); branch schemes stay read-only (SchemeQuerySet.editable_by).
        "branches.add_assessmentscheme",
        "branches.copy_assessmentscheme",
        "branches.change_assessmentscheme",
        "branches.delete_assessmentscheme",
        "branches.add_assessmentcriterion",
        "branches.change_assessmentcriterion",
        "branches.delete_assessmentcriterion",
    ],
    Role.BRANCH_SECRETARY: [
        "branches.view_branch",
        "branches.view_retiree",
        "branches.change_retiree",
        "branches.view_membership",
        "branches.view_participation",
        "branches.view_post",
        "branches.view_venue",
        "branches.view_honour",
        "branches.view_guidancevisit",
        "branches.view_youthcarecommittee",
        "branches.view_communitycheckin",
        "branches.view_governancerole",
        "branches.view_carepair",
        "branches.view_carerecord",
        "branches.*_activity",
        "branches.*_activityphoto",
        "branches.*_activityattachment",
        "branches.*_attendance",
        "branches.*_need",
        "branches.view_assessment*",
        "branches.add_assessment",
        "branches.change_assessment",
        "branches.change_assessmentitem",
    ],
    Role.COMMITTEE_DIRECTOR: [
        "branches.view_youthcarecommittee",
        "branches.change_youthcarecommittee",
        # Their committee's activities (ActivityQuerySet.editable_by_member).
        "branches.*_activity",
        "branches.*_activityphoto",
        "branches.*_activityattachment",
        "branches.*_attendance",
        "branches.view_branch",
        "branches.view_post",
        "branches.view_venue",
        "branches.view_honour",
        "branches.view_assessment*",
        "branches.add_assessment",
        "branches.change_assessment",
        "branches.change_assessmentitem",
    ],
    Role.LEADER: [
        "branches.view_branch",
        "branches.view_cluster",
        "branches.view_youthcarecommittee",
        "branches.view_workcommittee",
        "branches.view_honour",
        "branches.view_venue",
    ],
}


def committee_staff_reach(user):
    """The people committee staff work with here: holders of youth-care committee posts.

    Also people no branch record claims yet (registered before a post is given), so
    an office can enter a new committee member. Returns a Q over Person; one subquery each.
    """
    from django.db.models import Q

    from branches.models import CarePair, Post, Retiree, WorkCommitteeMember

    committee_people = Post.all_objects.filter(committee__isnull=False).values("person_id")
    claimed = (
        Q(pk__in=Retiree.all_objects.values("person_id"))
        | Q(pk__in=Post.all_objects.filter(branch__isnull=False).values("person_id"))
        | Q(pk__in=WorkCommitteeMember.all_objects.values("person_id"))
        | Q(pk__in=CarePair.all_objects.values("cadre_id"))
    )
    return Q(pk__in=committee_people) | ~claimed


def committee_staff_read_only(user):
    """Retired cadres' records are county staff's: committee staff may read, never change them."""
    from django.db.models import Q

    from branches.models import Retiree

    return Q(pk__in=Retiree.all_objects.values("person_id"))

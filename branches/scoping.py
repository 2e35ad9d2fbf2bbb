"""What a branch secretary's or committee director's posts put in their scope.

A secretary's branches are those where their person holds a current post on
the branch committee (and the branches under a general branch they sit on).
A director's committees are those where their person is a current director,
executive director or deputy director. Each function returns a subquery, so
the scoped queryset stays one SQL statement.
"""

from django.db.models import Q


def member_branch_ids(user):
    from branches.models import Branch, Post

    if not user.person_id:
        return Branch.objects.none().values("pk")
    posts = Post.objects.current().filter(person_id=user.person_id, branch__isnull=False)
    held = posts.values("branch_id")
    return Branch.objects.filter(Q(pk__in=held) | Q(parent_id__in=held)).values("pk")


def member_committee_ids(user):
    from branches.models import Post, YouthCareCommittee

    if not user.person_id:
        return YouthCareCommittee.objects.none().values("pk")
    return (
        Post.objects.current()
        .filter(
            person_id=user.person_id,
            committee__isnull=False,
            role__in=Post.Role.leading_committee_roles(),
        )
        .values("committee_id")
    )


def is_secretary(user) -> bool:
    from core.scoping import Role

    return user.role == Role.BRANCH_SECRETARY


def is_director(user) -> bool:
    from core.scoping import Role

    return user.role == Role.COMMITTEE_DIRECTOR

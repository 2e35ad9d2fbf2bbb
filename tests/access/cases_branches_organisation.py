"""Access cases of the organisation area: branches, clusters, venues, committees, posts, work committee.

Roles in the order of `expect`: county staff, committee staff, branch secretary,
committee director, leader, administrator. In the world (tests/world.py) the
secretary holds the branch's secretary post (and sits on the work committee,
but has no right to its pages); the director runs the committee linked to
that branch; the committee uses no venue.
"""

from tests.access.matrix import Case, everyone, expect

# Branches: county staff change them; secretary, director and leader read them; committee staff do not.
BRANCH_READ = expect(county=200, committee=404, secretary=200, director=200, leader=200, admin=200)
BRANCH_WRITE = expect(county=200, committee=404, secretary=403, director=403, leader=403, admin=200)
BRANCH_POST = expect(county=302, committee=404, secretary=403, director=403, leader=403, admin=302)
COUNTY_ONLY_PAGE = expect(county=200, committee=403, secretary=403, director=403, leader=403, admin=200)

# Clusters and the work committee: the county, read by the leader.
COUNTY_READ = expect(county=200, committee=404, secretary=404, director=404, leader=200, admin=200)
COUNTY_WRITE = expect(county=200, committee=404, secretary=404, director=404, leader=403, admin=200)
COUNTY_POST = expect(county=302, committee=404, secretary=404, director=404, leader=403, admin=302)

# Venues: read by everyone in scope (the world's committee uses none, so its director sees none).
VENUE_READ = expect(county=200, committee=200, secretary=200, director=404, leader=200, admin=200)
VENUE_WRITE = expect(county=200, committee=403, secretary=403, director=404, leader=403, admin=200)
VENUE_POST = expect(county=302, committee=403, secretary=403, director=404, leader=403, admin=302)

# The secretary's branch post: committee staff see committee posts only; leaders see no posts.
BRANCH_POST_WRITE = expect(county=200, committee=404, secretary=403, director=404, leader=404, admin=200)

CASES = [
    # Branches
    Case("branches:branch_list", expect(200, 403, 200, 200, 200, 200)),
    Case("branches:branch_detail", BRANCH_READ, obj="branch"),
    Case("branches:branch_create", COUNTY_ONLY_PAGE),
    Case("branches:branch_update", BRANCH_WRITE, obj="branch"),
    Case("branches:branch_archive", BRANCH_POST, obj="branch", method="post"),
    Case("branches:branch_restore", BRANCH_POST, obj="branch", method="post"),
    Case("branches:branch_history", BRANCH_READ, obj="branch"),
    # Clusters.
    Case("branches:cluster_list", expect(200, 403, 403, 403, 200, 200)),
    Case("branches:cluster_detail", COUNTY_READ, obj="cluster"),
    Case("branches:cluster_create", COUNTY_ONLY_PAGE),
    Case("branches:cluster_update", COUNTY_WRITE, obj="cluster"),
    Case("branches:cluster_archive", COUNTY_POST, obj="cluster", method="post"),
    Case("branches:cluster_restore", COUNTY_POST, obj="cluster", method="post"),
    Case("branches:cluster_history", COUNTY_READ, obj="cluster"),
    # Venues.
    Case("branches:venue_list", everyone(200)),
    Case("branches:venue_detail", VENUE_READ, obj="venue"),
    Case("branches:venue_create", COUNTY_ONLY_PAGE),
    Case("branches:venue_update", VENUE_WRITE, obj="venue"),
    Case("branches:venue_archive", VENUE_POST, obj="venue", method="post"),
    Case("branches:venue_restore", VENUE_POST, obj="venue", method="post"),
    Case("branches:venue_history", VENUE_READ, obj="venue"),
    # Youth-care committees: the director edits their own, but archiving is for the offices.
    Case("branches:committee_list", everyone(200)),
    Case("branches:committee_detail", everyone(200), obj="committee"),
    Case("branches:committee_create", expect(200, 200, 403, 403, 403, 200)),
    Case("branches:committee_update", expect(200, 200, 403, 200, 403, 200), obj="committee"),
    Case("branches:committee_archive", expect(302, 302, 403, 403, 403, 302), obj="committee", method="post"),
    Case("branches:committee_restore", expect(302, 403, 403, 403, 403, 302), obj="committee", method="post"),
    Case("branches:committee_history", everyone(200), obj="committee"),
    # Posts and term changes.
    Case(
        "branches:post_create_for_branch",
        BRANCH_WRITE,
        kwargs=lambda w: {"branch_pk": w.branch.pk},
    ),
    Case(
        "branches:post_create_for_committee",
        expect(200, 200, 403, 403, 403, 200),
        kwargs=lambda w: {"committee_pk": w.committee.pk},
    ),
    Case("branches:post_update", BRANCH_POST_WRITE, obj="secretary_post"),
    Case("branches:post_end", BRANCH_POST_WRITE, obj="secretary_post"),
    Case(
        "branches:post_end",
        expect(county=302, committee=302, secretary=404, director=403, leader=404, admin=302),
        obj="director_post",
        method="post",
        data=lambda w: {"end_on": "2026-01-31"},
        note="the committee's executive director: committee staff may end it, the director may not",
    ),
    Case(
        "branches:post_archive",
        expect(302, 404, 403, 404, 404, 302),
        obj="secretary_post",
        method="post",
    ),
    Case("branches:post_history", expect(200, 404, 200, 404, 404, 200), obj="secretary_post"),
    Case("branches:branch_change_term", BRANCH_WRITE, obj="branch"),
    Case("branches:committee_change_term", expect(200, 200, 403, 403, 403, 200), obj="committee"),
    # Work committee, its members and guidance visits.
    Case("branches:workcommittee_list", expect(200, 403, 403, 403, 200, 200)),
    Case("branches:workcommittee_detail", COUNTY_READ, obj="work_committee"),
    Case("branches:workcommittee_create", COUNTY_ONLY_PAGE),
    Case("branches:workcommittee_update", COUNTY_WRITE, obj="work_committee"),
    Case("branches:workcommittee_archive", COUNTY_POST, obj="work_committee", method="post"),
    Case("branches:workcommittee_restore", COUNTY_POST, obj="work_committee", method="post"),
    Case("branches:workcommittee_history", COUNTY_READ, obj="work_committee"),
    Case("branches:wcmember_create", COUNTY_WRITE, obj="work_committee"),
    Case("branches:wcmember_update", COUNTY_WRITE, obj="wc_member"),
    Case("branches:wcmember_archive", COUNTY_POST, obj="wc_member", method="post"),
    Case("branches:wcmember_restore", COUNTY_POST, obj="wc_member", method="post"),
    Case(
        "branches:wcmember_history",
        expect(200, 404, 404, 404, 403, 200),
        obj="wc_member",
        note="leaders read the work committee but not its members' records",
    ),
    Case("branches:guidancevisit_list", expect(200, 403, 200, 403, 403, 200)),
    Case("branches:guidancevisit_create", COUNTY_ONLY_PAGE),
    Case("branches:guidancevisit_update", expect(200, 404, 403, 404, 403, 200), obj="guidance_visit"),
    Case(
        "branches:guidancevisit_archive",
        expect(302, 404, 403, 404, 403, 302),
        obj="guidance_visit",
        method="post",
    ),
    Case("branches:guidancevisit_history", expect(200, 404, 200, 404, 403, 200), obj="guidance_visit"),
]

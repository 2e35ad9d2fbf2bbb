"""The vocabulary of the access matrix: one `Case` per URL.

`expect` gives, for each role, the status code a request about an object
*inside* the user's scope answers. For an object in the other county every
role but the administrator answers 404 (checked automatically when `obj`
or `kwargs` is set, unless `record=False`: URL kwargs that name no record).
Anonymous users are always sent to the login page unless `public=True`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from core.scoping import Role

ROLES = list(Role)


@dataclass(frozen=True)
class Case:
    url_name: str
    expect: dict[str, int]
    obj: str | None = None  # attribute of the world's county used for the URL's pk
    method: str = "get"
    data: Callable | None = None  # world county -> POST data (default: empty)
    kwargs: Callable | None = None  # world county -> URL kwargs (overrides obj)
    record: bool = True  # False when the kwargs name no record of the county (e.g. a lookup kind)
    public: bool = False
    note: str = field(default="", compare=False)
    variant: str = ""  # tells apart cases of one URL with other kwargs (e.g. each import kind)

    @property
    def id(self) -> str:
        name = f"{self.method.upper()} {self.url_name}"
        return f"{name} {self.variant}" if self.variant else name


def expect(
    county: int,
    committee: int,
    secretary: int,
    director: int,
    leader: int,
    admin: int,
) -> dict[str, int]:
    """Statuses in the order of the roles table of ARCHITECTURE.md."""
    return {
        Role.COUNTY_STAFF: county,
        Role.COMMITTEE_STAFF: committee,
        Role.BRANCH_SECRETARY: secretary,
        Role.COMMITTEE_DIRECTOR: director,
        Role.LEADER: leader,
        Role.ADMIN: admin,
    }


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


CSP_PARTS = [
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
]


def assert_common_headers(response, where):
    csp = response.get("Content-Security-Policy", "")
    for part in CSP_PARTS:
        assert part in csp, where
    assert "unsafe-inline" not in csp, where
    assert "unsafe-eval" not in csp, where
    assert "http" not in csp, where  # no external host
    assert "camera=()" in response.get("Permissions-Policy", ""), where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["X-Frame-Options"] == "DENY", where
    assert "Server" not in response, where

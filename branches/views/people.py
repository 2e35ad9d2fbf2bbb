"""Views of the people area (see branches/models/people.py)."""

from core.hooks import NavItem

# Menu entries of this area, registered by BranchesConfig.ready().
NAV: list[NavItem] = []
# Home-page panels of this area: callables request -> dict(template=..., ...) or None.
HOME_PANELS: list = []

urlpatterns: list = []

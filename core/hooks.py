"""Small registries through which apps contribute to shared pages.

`core` imports no app, so the apps above it register what they add here in
their AppConfig.ready(): navigation entries and home-page panels.
"""

from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str  # shown only to users who hold it
    order: int = 100
    icon: str = ""


@dataclass
class Registry:
    nav_items: list[NavItem] = field(default_factory=list)
    home_panels: list[Callable] = field(default_factory=list)


registry = Registry()


def register_nav(*items: NavItem) -> None:
    for item in items:
        if item not in registry.nav_items:
            registry.nav_items.append(item)
    registry.nav_items.sort(key=lambda i: i.order)


def register_home_panel(func: Callable) -> Callable:
    """`func(request) -> dict | None`: a dict with `template` and its context, or None."""
    if func not in registry.home_panels:
        registry.home_panels.append(func)
    return func


def nav_for(user) -> list[NavItem]:
    return [item for item in registry.nav_items if user.has_perm(item.permission)]

"""Small registries through which apps contribute to shared pages.

`core` imports no app, so the apps above it register what they add here in
their AppConfig.ready(): navigation entries and home-page panels.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


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
    demo_loaders: list[tuple[int, Callable]] = field(default_factory=list)


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


def register_demo_loader(func: Callable, order: int = 100) -> None:
    """`func(stdout)` adds an app's demo data; must be idempotent. Run by `manage.py load_demo`."""
    if all(f is not func for _, f in registry.demo_loaders):
        registry.demo_loaders.append((order, func))
        registry.demo_loaders.sort(key=lambda pair: pair[0])

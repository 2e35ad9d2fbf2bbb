"""Small registries through which apps contribute to shared pages.

`core` imports no app, so the apps above it register what they add here in
their AppConfig.ready(): navigation entries, home-page panels, the people their
records put in a role's reach, demo loaders, the kinds of record pickers look up
(`core.lookups`), the pages `manage.py benchmark` times, the writes its load test makes, the sections
they add to another app's page (`register_page_section`) and their to-do rules (`register_todo`).
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
    # The menu's dropdown this entry belongs to (a translatable label); entries with the
    # same group label share one dropdown, an entry without a group stands alone.
    group: str = ""


@dataclass(frozen=True)
class NavGroup:
    """One menu entry of the navbar: a dropdown, or a plain link when it holds one item."""

    label: str
    items: tuple[NavItem, ...]

    @property
    def is_single(self) -> bool:
        return len(self.items) == 1


@dataclass(frozen=True)
class BenchmarkPage:
    """A page `manage.py benchmark` times, opened by a demo login.

    `url_name` may carry a query (`branches:retiree_list?q=zhang`); `argument(user)`
    gives the URL's argument (a pk) for URLs that take one, or a tuple of `arity`
    arguments (an area's code and a year). A `province` page belongs to the
    province-scale accounts `manage.py seed_scale` makes: it is timed only when its
    login exists.
    """

    login: str
    url_name: str
    argument: Callable | None = None
    province: bool = False
    arity: int = 1

    def path(self, user) -> str:
        """The page's path and query for `user` (NoReverseMatch when the URL does not exist)."""
        from django.urls import reverse

        url_name, _, query = self.url_name.partition("?")
        value = self.argument(user) if self.argument else ()
        args = list(value) if isinstance(value, tuple) else [value]
        return reverse(url_name, args=args) + (f"?{query}" if query else "")


@dataclass(frozen=True)
class LoadWrite:
    """A write the load test of `make bench` makes as a demo login (core.loadtest).

    The load test GETs `page(user)`, keeps what its form offers, sets `fields(user, marker)`
    over it and POSTs; `stored(markers_prefix)` counts the rows whose marker starts with the
    run's prefix, so every saved write can be found again exactly once.
    """

    label: str
    login: str
    page: Callable
    fields: Callable
    stored: Callable


@dataclass(frozen=True)
class TodoRule:
    """One rule of the 待办事项 panel, declared by the app that owns the data.

    `count(user, today) -> int | None` counts the rows through `core.access` (None: the
    user's role may not see them, so no item); `url(user) -> str` is the list that shows
    exactly those rows, its filter in the query string. Count and list call the same
    selector, so the numbers agree. Each count costs a fixed number of queries.
    """

    key: str
    label: str
    count: Callable
    url: Callable
    order: int = 100


@dataclass
class Registry:
    nav_items: list[NavItem] = field(default_factory=list)
    home_panels: list[Callable] = field(default_factory=list)
    demo_loaders: list[tuple[int, Callable]] = field(default_factory=list)
    # role -> callables `f(user) -> Q` over Person: which people the apps' records put in reach,
    # and which of those the role may read but not change (see core.models.PersonQuerySet).
    person_reach: dict[str, list[Callable]] = field(default_factory=dict)
    person_read_only: dict[str, list[Callable]] = field(default_factory=dict)
    # kind ("person", "branch" …) -> core.lookups.Lookup: what `/lookup/<kind>/` answers.
    lookups: dict = field(default_factory=dict)
    benchmark_pages: list[BenchmarkPage] = field(default_factory=list)
    # (label, model): the row counts printed first, to say at what scale the times were taken.
    benchmark_scale: list[tuple[str, type]] = field(default_factory=list)
    load_writes: list[LoadWrite] = field(default_factory=list)
    # page name ("branches:branch_detail") -> callables `f(request, obj) -> dict | None`: sections
    # an app above adds to another app's page (`{% page_sections "branches:branch_detail" object %}`).
    page_sections: dict[str, list[Callable]] = field(default_factory=dict)
    # key -> TodoRule: the home page's 待办事项, in `order`.
    todos: dict[str, TodoRule] = field(default_factory=dict)


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


def nav_items_for(user) -> list[NavItem]:
    """The entries this user may open, in menu order."""
    from core.access import has_permission

    return [item for item in registry.nav_items if has_permission(user, item.permission)]


def nav_for(user) -> list[NavGroup]:
    """The user's menu: entries grouped by `group`, groups ordered by their first entry.

    Groups are matched on the translated label, so apps that spell the same group
    (`gettext_lazy("人员")`) share one dropdown.
    """
    groups: dict[tuple[str, str], list[NavItem]] = {}
    labels: dict[tuple[str, str], str] = {}
    for item in nav_items_for(user):
        key = ("group", str(item.group)) if item.group else ("item", item.url_name)
        groups.setdefault(key, []).append(item)
        labels.setdefault(key, item.group or item.label)
    return [NavGroup(labels[key], tuple(items)) for key, items in groups.items()]


def register_person_scope(role: str, *, reach: Callable | None = None, read_only: Callable | None = None) -> None:
    """Narrow a region-scoped role's people to those an app's records give it (PIPL: minimum necessary).

    A role with any `reach` registered sees only the people some reach returns
    (`reach(user) -> Q` over Person); `read_only(user) -> Q` marks people it may
    see but not change. Roles with no reach keep the whole region.
    """
    for table, func in ((registry.person_reach, reach), (registry.person_read_only, read_only)):
        if func is not None and func not in table.setdefault(role, []):
            table[role].append(func)


def register_demo_loader(func: Callable, order: int = 100) -> None:
    """`func(stdout)` adds an app's demo data; must be idempotent. Run by `manage.py load_demo`."""
    if all(f is not func for _, f in registry.demo_loaders):
        registry.demo_loaders.append((order, func))
        registry.demo_loaders.sort(key=lambda pair: pair[0])


def register_lookup(kind: str, lookup) -> None:
    """Make `/lookup/<kind>/` answer a picker with `lookup` (a `core.lookups.Lookup`).

    The first kind registered for a model is the one every model choice over that
    model uses by default (`core.widgets.picker_for`).
    """
    registry.lookups[kind] = lookup


def register_benchmark_pages(*pages: BenchmarkPage) -> None:
    for page in pages:
        if page not in registry.benchmark_pages:
            registry.benchmark_pages.append(page)


def register_load_writes(*writes: LoadWrite) -> None:
    """Writes the load test of `make bench` makes (see LoadWrite)."""
    for write in writes:
        if write not in registry.load_writes:
            registry.load_writes.append(write)


def register_benchmark_scale(label: str, model) -> None:
    """Count `model`'s rows (archived ones too) in the scale line of `manage.py benchmark`."""
    if (label, model) not in registry.benchmark_scale:
        registry.benchmark_scale.append((label, model))


def register_page_section(page: str, func: Callable) -> Callable:
    """Add a section to another app's page without that app importing this one (the one-way chain).

    `func(request, obj) -> dict | None`: a dict with `template` and its context, or None when it has
    nothing for this user; the page renders it with `{% page_sections "<page>" object %}`. Each
    section must cost a fixed number of queries.
    """
    sections = registry.page_sections.setdefault(page, [])
    if func not in sections:
        sections.append(func)
    return func


def register_todo(*rules: TodoRule) -> None:
    """Add to-do rules to the home page's 待办事项 panel (one definition per key)."""
    for rule in rules:
        registry.todos[rule.key] = rule


def todo_rules() -> list[TodoRule]:
    return sorted(registry.todos.values(), key=lambda r: (r.order, r.key))

"""How modules plug into the platform without importing each other.

An app declares what it offers in its `AppConfig.ready()`:

    from cchc.core import registry
    registry.menu.register(registry.MenuItem(key="plans", label=_("Plans"), url_name="plans:list", order=20))
    registry.output_sources.register(registry.OutputSource(key="news.article", label=..., ...))

Consumers (the menu, `reports`) ask the registry and never import the providers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, name: str):
        self.name = name
        self._items: dict[str, T] = {}

    def register(self, item: T) -> T:
        key = getattr(item, "key")
        if key in self._items and self._items[key] != item:
            raise ValueError(f"{self.name}: '{key}' is registered twice")
        self._items[key] = item
        return item

    def unregister(self, key: str) -> None:
        self._items.pop(key, None)

    def get(self, key: str) -> T | None:
        return self._items.get(key)

    def __iter__(self) -> Iterator[T]:
        return iter(sorted(self._items.values(), key=lambda i: (getattr(i, "order", 100), getattr(i, "key"))))

    def __contains__(self, key: str) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def for_key(self, attribute: str, value) -> list[T]:
        """The entries whose `attribute` is `value` (the exports of one model, the actions of one page)."""
        return [item for item in self if getattr(item, attribute) == value]


@contextmanager
def temporarily(registry: Registry[T], *items: T):
    """Register `items` for the length of a `with` block (tests), then take them out again; what was
    registered under the same keys before is put back."""
    from .pagecache import bump  # pages kept with the registry as it was are not served again

    saved = {item.key: registry.get(item.key) for item in items}
    for item in items:
        registry.unregister(item.key)
        registry.register(item)
    bump()
    try:
        yield items[0] if len(items) == 1 else items
    finally:
        for key, before in saved.items():
            registry.unregister(key)
            if before is not None:
                registry.register(before)
        bump()


@dataclass(frozen=True)
class MenuItem:
    """An entry of the main navigation. `visible(user)` decides whether the user sees it."""

    key: str
    label: Any
    url_name: str
    order: int = 100
    visible: Callable[[Any], bool] = field(default=lambda user: user.is_authenticated, compare=False)


@dataclass(frozen=True)
class OutputSource:
    """A module that records communication outputs by itself (an article published, a quiz run)."""

    key: str
    label: Any
    output_type: str
    order: int = 100


@dataclass(frozen=True)
class Export:
    """A downloadable export: `render(obj, user) -> (filename, content_type, bytes)`."""

    key: str
    label: Any
    model: str
    render: Callable[..., tuple[str, str, bytes]] = field(compare=False)
    order: int = 100


@dataclass(frozen=True)
class HomeBlock:
    """A block of the user's home page: `template` rendered with `context(request)` (None hides it)."""

    key: str
    template: str
    context: Callable[[Any], dict | None] = field(compare=False)
    order: int = 100
    stylesheet: str = ""


@dataclass(frozen=True)
class TargetCounter:
    """What was done against plan targets and tasks, for pages of apps that cannot import the counting
    one (the plan page shows planned against done; `outputs` counts). `count(targets=, tasks=, start=,
    end=)` returns ({target id: Decimal done}, {task id: Decimal done}) for [start, end]."""

    key: str
    count: Callable[..., tuple[dict, dict]] = field(compare=False)
    order: int = 100


@dataclass(frozen=True)
class PlanIssueStep:
    """What another module does when a plan is issued, inside the same transaction (reports creates
    the reporting periods). `describe(plan)` says it on the confirmation page before anyone issues;
    `run(plan=, user=)` does it."""

    key: str
    describe: Callable[[Any], list[str]] = field(compare=False)
    run: Callable[..., None] = field(compare=False)
    order: int = 100


@dataclass(frozen=True)
class PublicMenuItem:
    """An entry of a public site's menu: `url(site)` gives its address on that site (None hides it).
    The channels of the public side (news, bulletins, procedures, feedback …) add themselves."""

    key: str
    label: Any
    url: Callable[[Any], str | None] = field(compare=False)
    order: int = 100


@dataclass(frozen=True)
class PublicBlock:
    """A block of a public site's home page: `template` rendered with `context(request, site)`
    (None hides it)."""

    key: str
    template: str
    context: Callable[[Any, Any], dict | None] = field(compare=False)
    order: int = 100


@dataclass(frozen=True)
class Sitemap:
    """Public addresses a module adds to a site's sitemap.xml: `items(site)` yields (path, lastmod)."""

    key: str
    items: Callable[[Any], Any] = field(compare=False)
    order: int = 100


@dataclass(frozen=True)
class StatsProvider:
    """Figures a module measures for a unit that are not outputs (page views, subscribers, feedback
    answered on time): `stats(unit_paths=, start=, end=)` returns [{"key", "label", "value"}].
    Dashboards and reports show them without importing the module."""

    key: str
    label: Any
    stats: Callable[..., list[dict]] = field(compare=False)
    order: int = 100


@dataclass(frozen=True)
class PageAction:
    """A button another module adds to a page (the plan page's link to its reporting periods):
    `url(obj, user)` returns the address, or None when the user may not use it."""

    key: str
    page: str
    label: Any
    url: Callable[[Any, Any], str | None] = field(compare=False)
    order: int = 100


def page_actions_for(page: str, obj, user) -> list[dict]:
    """The registered actions of `page` the user may use on `obj`: [{"key", "label", "url"}]."""
    found = []
    for action in page_actions.for_key("page", page):
        url = action.url(obj, user)
        if url:
            found.append({"key": action.key, "label": action.label, "url": url})
    return found


@dataclass(frozen=True)
class PublicMedia:
    """Uploaded files a module shows to the public (an article's cover, a site's emblem): files under
    `prefix` of MEDIA_ROOT are served by the platform when `allowed(name, user)` says the file belongs
    to something public (a published article) or that the user may see it (the draft's writers) —
    every other upload is handed out only by the views that check who asks."""

    key: str
    prefix: str
    allowed: Callable[[str, Any], bool] = field(compare=False)
    order: int = 100


menu: Registry[MenuItem] = Registry("menu")
home_blocks: Registry[HomeBlock] = Registry("home blocks")
output_sources: Registry[OutputSource] = Registry("output sources")
exports: Registry[Export] = Registry("exports")
target_counters: Registry[TargetCounter] = Registry("target counters")
plan_issue_steps: Registry[PlanIssueStep] = Registry("plan issue steps")
public_menu: Registry[PublicMenuItem] = Registry("public menu")
public_blocks: Registry[PublicBlock] = Registry("public blocks")
sitemaps: Registry[Sitemap] = Registry("sitemaps")
stats_providers: Registry[StatsProvider] = Registry("stats providers")
page_actions: Registry[PageAction] = Registry("page actions")
public_media: Registry[PublicMedia] = Registry("public media")

"""The service navigation: the modules of an organisation, in order.

Each entry names the URL of the module's first page and the least role that
may see it. Each module adds its entry here when it lands, and the browser
tests crawl from these links, so a new module's pages are checked at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from goldenthread.accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    #: URL names (namespace:name) that light this item up as the current section.
    section: str
    role: str = Role.VIEWER


ORGANISATION_NAV: tuple[NavItem, ...] = (
    NavItem("Dashboard", "core:home", "core:home"),
    NavItem("Units", "core:unit_list", "core:unit"),
    NavItem("Structures", "structure:snapshot_list", "structure:"),
    NavItem("Operating model", "operating_model:tom_home", "operating_model:"),
    NavItem("Golden thread", "performance:thread", "performance:"),
    NavItem("Programme", "programme:programme_list", "programme:"),
    NavItem("Audit history", "audit:change_list", "audit:"),
    NavItem("Background jobs", "jobs:job_list", "jobs:"),
    NavItem("Members", "accounts:member_list", "accounts:member", Role.ADMIN),
    NavItem("Settings", "accounts:settings", "accounts:settings", Role.ADMIN),
)

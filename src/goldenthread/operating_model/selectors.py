"""Every read of TOM versions, components and design principles, always for one organisation."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet

from goldenthread.accounts.models import Organisation
from goldenthread.analysis.textdiff import Change, Entry, Match, match_entries

from .models import (
    Component,
    ComponentLink,
    Consideration,
    Principle,
    PrincipleSet,
    Statement,
    TomVersion,
    VersionStatus,
)


def version_list(*, organisation: Organisation) -> QuerySet[TomVersion]:
    return (
        TomVersion.objects.filter(organisation=organisation)
        .select_related("based_on", "principle_set")
        .annotate(component_count=Count("components"))
        .order_by("-number")
    )


def version_get(*, organisation: Organisation, pk: int) -> TomVersion:
    return (
        TomVersion.objects.filter(organisation=organisation)
        .select_related("based_on", "principle_set")
        .get(pk=pk)
    )


def adopted_version(*, organisation: Organisation) -> TomVersion | None:
    return (
        TomVersion.objects.filter(organisation=organisation, status=VersionStatus.ADOPTED)
        .select_related("principle_set")
        .first()
    )


def version_components(*, version: TomVersion) -> list[Component]:
    """The components of a version with their statements and links, in three queries."""
    return list(
        Component.objects.filter(organisation_id=version.organisation_id, version=version)
        .prefetch_related(
            Prefetch("statements", queryset=Statement.objects.order_by("position", "pk")),
            Prefetch("links", queryset=ComponentLink.objects.select_related("content_type")),
        )
        .order_by("position", "pk")
    )


def component_get(*, organisation: Organisation, pk: int) -> Component:
    return Component.objects.select_related("version").get(organisation=organisation, pk=pk)


def component_options(*, organisation: Organisation, query: str = "") -> QuerySet[Component]:
    """Components of the adopted and open versions, for a picker, newest version first.

    Superseded versions are left out: a link records delivery of the TOM in force or planned.
    """
    found = (
        Component.objects.filter(organisation=organisation)
        .exclude(version__status=VersionStatus.SUPERSEDED)
        .select_related("version")
        .order_by("-version__number", "position", "pk")
    )
    if query:
        found = found.filter(name__icontains=query)
    return found


def component_link_get(*, organisation: Organisation, pk: int) -> ComponentLink:
    return ComponentLink.objects.select_related("component__version", "content_type").get(
        organisation=organisation, pk=pk
    )


def component_links_of(
    *, organisation: Organisation, content_type_id: int, object_id: int
) -> QuerySet[ComponentLink]:
    """The components one record delivers (any module's record, by content type and id)."""
    return (
        ComponentLink.objects.filter(
            organisation=organisation, content_type_id=content_type_id, object_id=object_id
        )
        .select_related("component__version")
        .order_by("-component__version__number", "component__position", "pk")
    )


def component_links(*, component: Component) -> QuerySet[ComponentLink]:
    """What delivers ``component``, by kind."""
    return ComponentLink.objects.filter(
        organisation_id=component.organisation_id, component=component
    ).order_by("kind", "pk")


def statement_get(*, organisation: Organisation, pk: int) -> Statement:
    return Statement.objects.select_related("component__version").get(
        organisation=organisation, pk=pk
    )


def principle_set_list(*, organisation: Organisation) -> QuerySet[PrincipleSet]:
    return (
        PrincipleSet.objects.filter(organisation=organisation)
        .annotate(principle_count=Count("principles"))
        .order_by("name", "pk")
    )


def principle_set_get(*, organisation: Organisation, pk: int) -> PrincipleSet:
    return PrincipleSet.objects.get(organisation=organisation, pk=pk)


@dataclass
class PrincipleGroup:
    name: str
    principles: list[Principle] = field(default_factory=list)


def principle_groups(*, principle_set: PrincipleSet) -> list[PrincipleGroup]:
    """The set's principles with their considerations, grouped in order of first appearance."""
    principles = (
        Principle.objects.filter(
            organisation_id=principle_set.organisation_id, principle_set=principle_set
        )
        .prefetch_related(
            Prefetch("considerations", queryset=Consideration.objects.order_by("position", "pk"))
        )
        .order_by("position", "pk")
    )
    groups: dict[str, PrincipleGroup] = {}
    for principle in principles:
        groups.setdefault(principle.group, PrincipleGroup(principle.group)).principles.append(
            principle
        )
    return list(groups.values())


def principle_get(*, organisation: Organisation, pk: int) -> Principle:
    return Principle.objects.select_related("principle_set").get(organisation=organisation, pk=pk)


def consideration_get(*, organisation: Organisation, pk: int) -> Consideration:
    return Consideration.objects.select_related("principle__principle_set").get(
        organisation=organisation, pk=pk
    )


# Comparison with the adopted baseline -----------------------------------------


@dataclass(frozen=True)
class ComponentComparison:
    #: "unchanged", "changed", "added" or "removed"
    change: str
    baseline: Component | None
    revised: Component | None
    renamed: bool
    change_level_changed: bool
    owner_changed: bool
    statements: list[Match]

    @property
    def name(self) -> str:
        component = self.revised or self.baseline
        return component.name if component else ""

    def count(self, change: str) -> int:
        return sum(1 for match in self.statements if match.change.value == change)


@dataclass(frozen=True)
class Comparison:
    baseline: TomVersion
    revised: TomVersion
    components: list[ComponentComparison]

    def total(self, change: str) -> int:
        return sum(component.count(change) for component in self.components)

    @property
    def totals(self) -> dict[str, int]:
        """Statements by kind of change, over every component."""
        return {change.value: self.total(change.value) for change in Change}

    @property
    def has_changes(self) -> bool:
        return any(component.change != "unchanged" for component in self.components)


def comparison_baseline(*, version: TomVersion) -> TomVersion | None:
    """What a version is compared with: the version it was copied from, else the adopted one."""
    if version.based_on_id is not None:
        return version.based_on
    adopted = adopted_version(organisation=version.organisation)
    if adopted is not None and adopted.pk != version.pk:
        return adopted
    return None


def _entries(component: Component | None, lineage: bool) -> list[Entry]:
    if component is None:
        return []
    return [
        Entry(statement.pk, statement.text, statement.baseline_id if lineage else None)
        for statement in component.statements.all()
    ]


def version_comparison(*, baseline: TomVersion, revised: TomVersion) -> Comparison:
    """Every change of ``revised`` against ``baseline``, component by component."""
    old = version_components(version=baseline)
    new = version_components(version=revised)
    old_by_pk = {component.pk: component for component in old}
    used: set[int] = set()
    rows: list[ComponentComparison] = []
    for component in new:
        origin = old_by_pk.get(component.baseline_id) if component.baseline_id else None
        if origin is not None and origin.pk in used:
            origin = None
        if origin is not None:
            used.add(origin.pk)
        matches = match_entries(_entries(origin, False), _entries(component, True))
        if origin is None:
            rows.append(ComponentComparison("added", None, component, False, False, False, matches))
            continue
        renamed = origin.name != component.name
        level = origin.change_level != component.change_level
        owner = origin.owner != component.owner
        changed = (
            renamed
            or level
            or owner
            or origin.as_is != component.as_is
            or any(match.change is not Change.UNCHANGED for match in matches)
        )
        rows.append(
            ComponentComparison(
                "changed" if changed else "unchanged",
                origin,
                component,
                renamed,
                level,
                owner,
                matches,
            )
        )
    for component in old:
        if component.pk not in used:
            matches = match_entries(_entries(component, False), [])
            rows.append(
                ComponentComparison("removed", component, None, False, False, False, matches)
            )
    return Comparison(baseline, revised, rows)

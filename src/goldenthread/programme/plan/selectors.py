"""Every read of a programme's plan, always given the organisation."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, QuerySet

from goldenthread.accounts.models import Organisation
from goldenthread.performance.models import ThreadLink
from goldenthread.programme.models import (
    Action,
    ActionSaving,
    Milestone,
    Phase,
    Programme,
    Workstream,
)


def programme_list(*, organisation: Organisation) -> QuerySet[Programme]:
    return Programme.objects.filter(organisation=organisation)


def programme_register(*, organisation: Organisation) -> QuerySet[Programme]:
    """The programmes with the counts the list shows: one query for a page of them."""
    return programme_list(organisation=organisation).annotate(
        action_count=Count("actions", distinct=True),
        workstream_count=Count("workstreams", distinct=True),
    )


def programme_get(*, organisation: Organisation, pk: int) -> Programme:
    return programme_list(organisation=organisation).get(pk=pk)


def phase_list(*, programme: Programme) -> QuerySet[Phase]:
    return Phase.objects.filter(programme=programme).annotate(action_count=Count("actions"))


def phase_get(*, organisation: Organisation, pk: int) -> Phase:
    return Phase.objects.select_related("programme").get(
        programme__organisation=organisation, pk=pk
    )


def workstream_list(*, programme: Programme) -> QuerySet[Workstream]:
    return Workstream.objects.filter(programme=programme).annotate(action_count=Count("actions"))


def workstream_get(*, organisation: Organisation, pk: int) -> Workstream:
    return Workstream.objects.select_related("programme").get(
        programme__organisation=organisation, pk=pk
    )


def action_list(*, organisation: Organisation) -> QuerySet[Action]:
    return Action.objects.filter(organisation=organisation).select_related(
        "programme", "workstream", "phase"
    )


def action_export_rows(*, organisation: Organisation) -> QuerySet[Action]:
    """The actions as the export writes them: one query, by reference."""
    return action_list(organisation=organisation).order_by("reference", "pk")


def action_get(*, organisation: Organisation, pk: int) -> Action:
    return action_list(organisation=organisation).get(pk=pk)


def action_milestones(*, action: Action) -> QuerySet[Milestone]:
    return Milestone.objects.filter(action=action)


def action_savings(*, action: Action) -> QuerySet[ActionSaving]:
    return ActionSaving.objects.filter(action=action)


def milestone_list(*, organisation: Organisation) -> QuerySet[Milestone]:
    return Milestone.objects.filter(action__organisation=organisation).select_related("action")


def milestone_get(*, organisation: Organisation, pk: int) -> Milestone:
    return milestone_list(organisation=organisation).get(pk=pk)


def saving_list(*, organisation: Organisation) -> QuerySet[ActionSaving]:
    return ActionSaving.objects.filter(action__organisation=organisation).select_related("action")


def action_untraced(*, organisation: Organisation) -> QuerySet[Action]:
    """Actions linked to no item of the golden thread: they serve no objective."""
    traced = ThreadLink.objects.filter(
        content_type=ContentType.objects.get_for_model(Action), object_id=OuterRef("pk")
    )
    return (
        Action.objects.filter(organisation=organisation)
        .exclude(Exists(traced))
        .select_related("programme")
        .order_by("programme__name", "position", "reference")
    )

"""Every write to TOM versions, components, statements and design principles.

Each service is one transaction; refused writes raise ServiceError. Adopted and
superseded versions are the record of what was agreed: nothing in them changes.
"""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Max
from simple_history.utils import bulk_create_with_history

from goldenthread.accounts.models import Organisation, Role
from goldenthread.accounts.services import (
    Actor,
    ServiceError,
    acting_user,
    attribute,
    create_attributed,
    require_role,
)

from .models import (
    ChangeLevel,
    Component,
    ComponentLink,
    Consideration,
    DeliveryKind,
    Principle,
    PrincipleSet,
    Statement,
    TomVersion,
    VersionStatus,
)
from .starter import COMPONENTS, principle_template

VERSION_LOCKED = (
    "{version} is {status}, so it cannot be changed: start a new version to propose changes"
)
ENTER_TITLE = "Enter a title for the version"
ENTER_NAME = "Enter a name"
ENTER_STATEMENT = "Enter the statement"
NOT_DRAFT = "Only a draft can be sent out for consultation; {version} is {status}"
ALREADY_ADOPTED = "{version} is already {status}"
ENTER_APPROVED_BY = "Enter who approved the version, for example the Executive"
ENTER_APPROVED_ON = "Enter the date the version was approved"
APPROVED_IN_FUTURE = "The date of approval must be today or in the past"
ENTER_DECISION = (
    "Enter the decision or delegation, for example “Executive, 14 March 2024, minute 52”"
)
DELETE_ONLY_DRAFTS = "Only a draft or consultation version can be deleted; {version} is {status}"
OTHER_ORGANISATION = "That belongs to another organisation"
SET_IN_USE = "{set} is used by {count} TOM version{plural}, so it cannot be deleted"
SET_FROZEN = (
    "{set} is part of {version}, which has been adopted, so it cannot be changed: "
    "make a copy of the set and change the copy"
)
COPY_NAME = "{name} (copy)"
NO_SUCH_TEMPLATE = "Choose one of the starter templates"
LINK_EXISTS = "That is already linked to {component}"


def _check_editable_or(version: TomVersion, message: str) -> None:
    """Refuse with ``message`` unless ``version`` is a draft or consultation draft.

    The status is read under a row lock, so an adoption that commits first is seen.
    """
    version.status = (
        TomVersion.objects.select_for_update().values_list("status", flat=True).get(pk=version.pk)
    )
    if not version.is_editable:
        raise ServiceError(
            message.format(version=version, status=version.get_status_display().lower())
        )


def _check_editable(version: TomVersion) -> None:
    _check_editable_or(version, VERSION_LOCKED)


def _same_org(organisation_id: int, other: models.Model | None, field: str | None = None) -> None:
    if other is not None and other.organisation_id != organisation_id:  # type: ignore[attr-defined]
        raise ServiceError(OTHER_ORGANISATION, field=field)


def _required(value: str, message: str, field: str) -> str:
    value = value.strip()
    if not value:
        raise ServiceError(message, field=field)
    return value


def _next_position(queryset: models.QuerySet[models.Model]) -> int:
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


# Versions -------------------------------------------------------------------


@transaction.atomic
def version_create(
    *,
    organisation: Organisation,
    title: str,
    summary: str = "",
    principle_set: PrincipleSet | None = None,
    by: Actor = None,
) -> TomVersion:
    """Start a new draft: a copy of the adopted version, or the default template if none.

    Every copied component and statement points at the row it was copied from.
    """
    title = _required(title, ENTER_TITLE, "title")
    _same_org(organisation.pk, principle_set, "principle_set")
    # Lock the organisation's versions so two drafts cannot take the same number.
    existing = list(
        TomVersion.objects.select_for_update().filter(organisation=organisation).order_by("pk")
    )
    number = max((v.number for v in existing), default=0) + 1
    adopted = next((v for v in existing if v.status == VersionStatus.ADOPTED), None)
    version = create_attributed(
        TomVersion,
        by=by,
        organisation=organisation,
        number=number,
        title=title,
        summary=summary,
        based_on=adopted,
        principle_set=principle_set or (adopted.principle_set if adopted else None),
    )
    if adopted is None:
        bulk_create_with_history(
            [
                Component(
                    organisation=organisation,
                    version=version,
                    key=template.key,
                    name=template.name,
                    purpose=template.purpose,
                    change_level=ChangeLevel.MEDIUM,
                    position=position,
                )
                for position, template in enumerate(COMPONENTS, start=1)
            ],
            Component,
            default_user=acting_user(by),
        )
        return version
    for component in adopted.components.prefetch_related("statements", "links"):
        copy = create_attributed(
            Component,
            by=by,
            organisation=organisation,
            version=version,
            key=component.key,
            name=component.name,
            purpose=component.purpose,
            as_is=component.as_is,
            change_level=component.change_level,
            owner=component.owner,
            position=component.position,
            baseline=component,
        )
        bulk_create_with_history(
            [
                Statement(
                    organisation=organisation,
                    component=copy,
                    text=statement.text,
                    position=statement.position,
                    baseline=statement,
                )
                for statement in component.statements.all()
            ],
            Statement,
            default_user=acting_user(by),
        )
        bulk_create_with_history(
            [
                ComponentLink(
                    organisation=organisation,
                    component=copy,
                    kind=link.kind,
                    content_type_id=link.content_type_id,
                    object_id=link.object_id,
                    note=link.note,
                )
                for link in component.links.all()
            ],
            ComponentLink,
            default_user=acting_user(by),
        )
    return version


@transaction.atomic
def version_update(
    *,
    version: TomVersion,
    title: str,
    summary: str,
    principle_set: PrincipleSet | None,
    by: Actor = None,
) -> TomVersion:
    _check_editable(version)
    version.title = _required(title, ENTER_TITLE, "title")
    version.summary = summary
    _same_org(version.organisation_id, principle_set, "principle_set")
    version.principle_set = principle_set
    attribute(version, by)
    version.save()
    return version


@transaction.atomic
def version_consult(*, version: TomVersion, by: Actor = None) -> TomVersion:
    """Send a draft out for consultation. It can still be changed while consulted on."""
    if version.status != VersionStatus.DRAFT:
        raise ServiceError(
            NOT_DRAFT.format(version=version, status=version.get_status_display().lower())
        )
    version.status = VersionStatus.CONSULTATION
    attribute(version, by)
    version.save()
    return version


@transaction.atomic
def version_adopt(
    *,
    version: TomVersion,
    approved_by: str,
    approved_on: date | None,
    decision_reference: str,
    by: Actor = None,
) -> TomVersion:
    """Adopt a draft or consultation version, superseding the adopted one in one transaction.

    Adoption records a formal decision and changes the baseline: only an admin may do it.
    """
    require_role(organisation=version.organisation, by=by, role=Role.ADMIN)
    _check_editable_or(version, ALREADY_ADOPTED)
    approved_by = _required(approved_by, ENTER_APPROVED_BY, "approved_by")
    if approved_on is None:
        raise ServiceError(ENTER_APPROVED_ON, field="approved_on")
    if approved_on > date.today():
        raise ServiceError(APPROVED_IN_FUTURE, field="approved_on")
    decision_reference = _required(decision_reference, ENTER_DECISION, "decision_reference")
    previous = (
        TomVersion.objects.select_for_update()
        .filter(organisation_id=version.organisation_id, status=VersionStatus.ADOPTED)
        .exclude(pk=version.pk)
    )
    for old in previous:
        old.status = VersionStatus.SUPERSEDED
        attribute(old, by)
        old.save()
    version.status = VersionStatus.ADOPTED
    version.approved_by = approved_by
    version.approved_on = approved_on
    version.decision_reference = decision_reference
    attribute(version, by)
    version.save()
    return version


@transaction.atomic
def version_delete(*, version: TomVersion, by: Actor = None) -> None:
    if not version.is_editable:
        raise ServiceError(
            DELETE_ONLY_DRAFTS.format(version=version, status=version.get_status_display().lower())
        )
    attribute(version, by)
    version.delete()


# Components and statements ----------------------------------------------------


@transaction.atomic
def component_create(
    *,
    version: TomVersion,
    name: str,
    purpose: str = "",
    as_is: str = "",
    change_level: str = ChangeLevel.MEDIUM,
    owner: str = "",
    by: Actor = None,
) -> Component:
    _check_editable(version)
    return create_attributed(
        Component,
        by=by,
        organisation_id=version.organisation_id,
        version=version,
        name=_required(name, ENTER_NAME, "name"),
        purpose=purpose,
        as_is=as_is,
        change_level=ChangeLevel(change_level),
        owner=owner.strip(),
        position=_next_position(version.components.all()),
    )


@transaction.atomic
def component_update(
    *,
    component: Component,
    name: str,
    purpose: str,
    as_is: str,
    change_level: str,
    owner: str,
    by: Actor = None,
) -> Component:
    _check_editable(component.version)
    component.name = _required(name, ENTER_NAME, "name")
    component.purpose = purpose
    component.as_is = as_is
    component.change_level = ChangeLevel(change_level)
    component.owner = owner.strip()
    attribute(component, by)
    component.save()
    return component


@transaction.atomic
def component_delete(*, component: Component, by: Actor = None) -> None:
    _check_editable(component.version)
    attribute(component, by)
    component.delete()


@transaction.atomic
def statement_create(*, component: Component, text: str, by: Actor = None) -> Statement:
    _check_editable(component.version)
    return create_attributed(
        Statement,
        by=by,
        organisation_id=component.organisation_id,
        component=component,
        text=_required(text, ENTER_STATEMENT, "text"),
        position=_next_position(component.statements.all()),
    )


@transaction.atomic
def statement_update(*, statement: Statement, text: str, by: Actor = None) -> Statement:
    _check_editable(statement.component.version)
    statement.text = _required(text, ENTER_STATEMENT, "text")
    attribute(statement, by)
    statement.save()
    return statement


@transaction.atomic
def statement_delete(*, statement: Statement, by: Actor = None) -> None:
    _check_editable(statement.component.version)
    attribute(statement, by)
    statement.delete()


@transaction.atomic
def component_link_create(
    *,
    component: Component,
    kind: str,
    target: models.Model,
    note: str = "",
    by: Actor = None,
) -> ComponentLink:
    """Record that ``target`` (an action, benefit, risk, KPI or proposal) delivers ``component``.

    Links may be added to any version, adopted ones included: they record
    delivery, not the agreed wording.
    """
    _same_org(component.organisation_id, target)
    content_type = ContentType.objects.get_for_model(target)
    clash = ComponentLink.objects.filter(
        component=component, content_type=content_type, object_id=target.pk
    )
    if clash.exists():
        raise ServiceError(LINK_EXISTS.format(component=component))
    return create_attributed(
        ComponentLink,
        by=by,
        organisation_id=component.organisation_id,
        component=component,
        kind=DeliveryKind(kind),
        content_type=content_type,
        object_id=target.pk,
        note=note,
    )


@transaction.atomic
def component_link_delete(*, link: ComponentLink, by: Actor = None) -> None:
    attribute(link, by)
    link.delete()


@transaction.atomic
def component_links_forget(*, target: models.Model) -> int:
    """Delete every link of ``target``, which is being deleted; each removal is in the history."""
    content_type = ContentType.objects.get_for_model(target)
    links = ComponentLink.objects.filter(content_type=content_type, object_id=target.pk)
    count = 0
    for link in links:
        link.delete()
        count += 1
    return count


# Design principles ------------------------------------------------------------


@transaction.atomic
def principle_set_create(
    *,
    organisation: Organisation,
    name: str,
    description: str = "",
    source: str = "",
    by: Actor = None,
) -> PrincipleSet:
    return create_attributed(
        PrincipleSet,
        by=by,
        organisation=organisation,
        name=_required(name, ENTER_NAME, "name"),
        description=description,
        source=source,
    )


@transaction.atomic
def principle_set_create_from_template(
    *, organisation: Organisation, key: str, by: Actor = None
) -> PrincipleSet:
    """A new set holding a copy of a starter template, for the organisation to edit."""
    template = principle_template(key)
    if template is None:
        raise ServiceError(NO_SUCH_TEMPLATE, field="template")
    principle_set = principle_set_create(
        by=by,
        organisation=organisation,
        name=template.name,
        description=template.description,
        source=template.key,
    )
    for position, item in enumerate(template.principles, start=1):
        principle = create_attributed(
            Principle,
            by=by,
            organisation=organisation,
            principle_set=principle_set,
            group=item.group,
            name=item.name,
            intent=item.intent,
            position=position,
        )
        bulk_create_with_history(
            [
                Consideration(
                    organisation=organisation,
                    principle=principle,
                    name=consideration.name,
                    description=consideration.description,
                    position=index,
                )
                for index, consideration in enumerate(item.considerations, start=1)
            ],
            Consideration,
            default_user=acting_user(by),
        )
    return principle_set


def principle_set_frozen_by(principle_set: PrincipleSet) -> TomVersion | None:
    """The adopted (or once adopted) version whose principles this set is, if any.

    An adopted TOM is the baseline later versions are compared with, so the
    principles it was adopted with stay as they were.
    """
    return (
        principle_set.tom_versions.filter(
            status__in=[VersionStatus.ADOPTED, VersionStatus.SUPERSEDED]
        )
        .order_by("-number")
        .first()
    )


def _check_set_editable(principle_set: PrincipleSet) -> None:
    version = principle_set_frozen_by(principle_set)
    if version is not None:
        raise ServiceError(SET_FROZEN.format(set=principle_set, version=version))


@transaction.atomic
def principle_set_copy(*, principle_set: PrincipleSet, by: Actor = None) -> PrincipleSet:
    """A new, editable set holding a copy of every principle and consideration."""
    copy = principle_set_create(
        by=by,
        organisation=principle_set.organisation,
        name=COPY_NAME.format(name=principle_set.name)[:200],
        description=principle_set.description,
        source=principle_set.source,
    )
    for principle in principle_set.principles.prefetch_related("considerations"):
        new = create_attributed(
            Principle,
            by=by,
            organisation_id=principle_set.organisation_id,
            principle_set=copy,
            group=principle.group,
            name=principle.name,
            intent=principle.intent,
            position=principle.position,
        )
        bulk_create_with_history(
            [
                Consideration(
                    organisation_id=principle_set.organisation_id,
                    principle=new,
                    name=consideration.name,
                    description=consideration.description,
                    position=consideration.position,
                )
                for consideration in principle.considerations.all()
            ],
            Consideration,
            default_user=acting_user(by),
        )
    return copy


@transaction.atomic
def principle_set_update(
    *, principle_set: PrincipleSet, name: str, description: str, by: Actor = None
) -> PrincipleSet:
    _check_set_editable(principle_set)
    principle_set.name = _required(name, ENTER_NAME, "name")
    principle_set.description = description
    attribute(principle_set, by)
    principle_set.save()
    return principle_set


@transaction.atomic
def principle_set_delete(*, principle_set: PrincipleSet, by: Actor = None) -> None:
    count = principle_set.tom_versions.count()
    if count:
        raise ServiceError(
            SET_IN_USE.format(set=principle_set, count=count, plural="" if count == 1 else "s")
        )
    attribute(principle_set, by)
    principle_set.delete()


@transaction.atomic
def principle_create(
    *,
    principle_set: PrincipleSet,
    name: str,
    intent: str = "",
    group: str = "",
    by: Actor = None,
) -> Principle:
    _check_set_editable(principle_set)
    return create_attributed(
        Principle,
        by=by,
        organisation_id=principle_set.organisation_id,
        principle_set=principle_set,
        name=_required(name, ENTER_NAME, "name"),
        intent=intent,
        group=group.strip(),
        position=_next_position(principle_set.principles.all()),
    )


@transaction.atomic
def principle_update(
    *, principle: Principle, name: str, intent: str, group: str, by: Actor = None
) -> Principle:
    _check_set_editable(principle.principle_set)
    principle.name = _required(name, ENTER_NAME, "name")
    principle.intent = intent
    principle.group = group.strip()
    attribute(principle, by)
    principle.save()
    return principle


@transaction.atomic
def principle_delete(*, principle: Principle, by: Actor = None) -> None:
    _check_set_editable(principle.principle_set)
    attribute(principle, by)
    principle.delete()


@transaction.atomic
def consideration_create(
    *, principle: Principle, name: str, description: str = "", by: Actor = None
) -> Consideration:
    _check_set_editable(principle.principle_set)
    return create_attributed(
        Consideration,
        by=by,
        organisation_id=principle.organisation_id,
        principle=principle,
        name=_required(name, ENTER_NAME, "name"),
        description=description,
        position=_next_position(principle.considerations.all()),
    )


@transaction.atomic
def consideration_update(
    *, consideration: Consideration, name: str, description: str, by: Actor = None
) -> Consideration:
    _check_set_editable(consideration.principle.principle_set)
    consideration.name = _required(name, ENTER_NAME, "name")
    consideration.description = description
    attribute(consideration, by)
    consideration.save()
    return consideration


@transaction.atomic
def consideration_delete(*, consideration: Consideration, by: Actor = None) -> None:
    _check_set_editable(consideration.principle.principle_set)
    attribute(consideration, by)
    consideration.delete()

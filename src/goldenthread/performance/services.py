"""Every write to the golden thread. Each is one transaction; refused writes raise ServiceError.

The levels an item may contribute to are set in goldenthread.analysis.thread:
a priority to the vision, an objective to a priority, a service plan to an
objective, a team objective to a service plan, and an individual objective to
a team objective or a service plan.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Max, ProtectedError

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.services import Actor, ServiceError, attribute, create_attributed
from goldenthread.analysis.thread import ALLOWED_PARENTS, allowed_parent
from goldenthread.core.models import Unit
from goldenthread.kit.links import forget_links
from goldenthread.kit.pickers import PICKERS

from .models import Level, Perspective, ThreadItem, ThreadLink

ENTER_TITLE = "Enter a title"
CHOOSE_LEVEL = "Choose the level of the item"
VISION_HAS_NO_PARENT = "The vision is the top of the thread: it contributes to nothing above it"
WRONG_PARENT = "{level} cannot contribute to {parent_level}: choose {allowed}"
PARENT_ELSEWHERE = "What it contributes to must belong to the same organisation"
UNIT_ELSEWHERE = "The unit must belong to the same organisation"
PARENT_IS_BELOW = "{parent} contributes to {item}, so {item} cannot contribute to it"
PERSPECTIVE_ONLY_FOR_PLANS = "Only a service plan item has a scorecard perspective"
LINKED_ALREADY = "It already contributes to {item}"
NOT_AN_OBJECTIVE = "An individual objective is held by a post: choose what it contributes to"
LINK_ELSEWHERE = "The item and the record must belong to the same organisation"
HAS_CHILDREN = "{count} item{plural} contribute{verb} to {item}: move or delete those first"
STILL_USED = "{item} is still used elsewhere, so it cannot be deleted."
NO_SUCH_POST = (
    "There is no post {value!r} in the current as-is structure: enter the ID of one of its posts"
)
#: The structures' picker of the posts of a snapshot (the current as-is when none is named).
POST_PICKER = "posts"


def _article(label: str) -> str:
    return f"an {label.lower()}" if label[0].lower() in "aeiou" else f"a {label.lower()}"


def _post_reference(organisation: Organisation, reference: str) -> str:
    """The ID of the post ``reference`` names in the current as-is structure, spelt as it is there.

    Before there is an as-is structure the ID is taken as given, as nothing
    can be checked; once there is one, an ID that is not in it is refused.
    """
    reference = reference.strip()
    if not reference:
        return ""
    found = PICKERS.get(POST_PICKER).find(organisation, "", reference)
    if found is None:
        raise ServiceError(NO_SUCH_POST.format(value=reference), field="post_reference")
    return found.value


def _check(item: ThreadItem, parent: ThreadItem | None, unit: Unit | None) -> None:
    if item.level not in Level.values:
        raise ServiceError(CHOOSE_LEVEL, field="level")
    if unit is not None and unit.organisation_id != item.organisation_id:
        raise ServiceError(UNIT_ELSEWHERE, field="unit")
    if item.perspective and item.level != Level.SERVICE_PLAN:
        raise ServiceError(PERSPECTIVE_ONLY_FOR_PLANS, field="perspective")
    if parent is None:
        return
    if parent.organisation_id != item.organisation_id:
        raise ServiceError(PARENT_ELSEWHERE, field="parent")
    if item.level == Level.VISION:
        raise ServiceError(VISION_HAS_NO_PARENT, field="parent")
    if not allowed_parent(item.level, parent.level):
        allowed = " or ".join(
            _article(Level(level).label) for level in sorted(ALLOWED_PARENTS[item.level])
        )
        raise ServiceError(
            WRONG_PARENT.format(
                level=_article(Level(item.level).label).capitalize(),
                parent_level=_article(Level(parent.level).label),
                allowed=allowed,
            ),
            field="parent",
        )
    if item.pk is not None:
        cursor: ThreadItem | None = parent
        seen: set[int] = set()
        while cursor is not None and cursor.pk not in seen:
            if cursor.pk == item.pk:
                raise ServiceError(PARENT_IS_BELOW.format(parent=parent, item=item), field="parent")
            seen.add(cursor.pk)
            cursor = cursor.parent


@transaction.atomic
def thread_item_create(
    *,
    organisation: Organisation,
    level: str,
    title: str,
    parent: ThreadItem | None = None,
    description: str = "",
    measures: str = "",
    unit: Unit | None = None,
    perspective: str = "",
    post_reference: str = "",
    owner: str = "",
    by: Actor = None,
) -> ThreadItem:
    title = title.strip()
    if not title:
        raise ServiceError(ENTER_TITLE, field="title")
    item = ThreadItem(
        organisation=organisation,
        level=level,
        parent=parent,
        title=title,
        description=description,
        measures=measures,
        unit=unit,
        perspective=Perspective(perspective) if perspective else "",
        post_reference=_post_reference(organisation, post_reference),
        owner=owner.strip(),
    )
    _check(item, parent, unit)
    top = ThreadItem.objects.filter(organisation=organisation).aggregate(top=Max("position"))
    item.position = (top["top"] or 0) + 1
    attribute(item, by)
    item.save()
    return item


@transaction.atomic
def thread_item_update(
    *,
    item: ThreadItem,
    level: str,
    title: str,
    parent: ThreadItem | None,
    description: str,
    measures: str,
    unit: Unit | None,
    perspective: str,
    post_reference: str,
    owner: str,
    by: Actor = None,
) -> ThreadItem:
    title = title.strip()
    if not title:
        raise ServiceError(ENTER_TITLE, field="title")
    item.level = level
    item.title = title
    item.description = description
    item.measures = measures
    item.unit = unit
    item.perspective = Perspective(perspective) if perspective else ""
    item.post_reference = _post_reference(item.organisation, post_reference)
    item.owner = owner.strip()
    _check(item, parent, unit)
    for child in item.children.all():
        if not allowed_parent(child.level, item.level):
            raise ServiceError(
                WRONG_PARENT.format(
                    level=_article(Level(child.level).label).capitalize(),
                    parent_level=_article(Level(item.level).label),
                    allowed=" or ".join(
                        _article(Level(level).label)
                        for level in sorted(ALLOWED_PARENTS[child.level])
                    ),
                ),
                field="level",
            )
    item.parent = parent
    attribute(item, by)
    item.save()
    return item


@transaction.atomic
def thread_item_delete(*, item: ThreadItem, by: Actor = None) -> None:
    count = item.children.count()
    if count:
        raise ServiceError(
            HAS_CHILDREN.format(
                count=count,
                plural="" if count == 1 else "s",
                verb="s" if count == 1 else "",
                item=item,
            )
        )
    # Links are generic (docs/adr/0007): the database cannot cascade them, so they go here.
    forget_links(item)
    attribute(item, by)
    try:
        item.delete()
    except ProtectedError:
        raise ServiceError(STILL_USED.format(item=item.title)) from None


# Records of other modules that contribute to an item --------------------------------


@transaction.atomic
def thread_link_create(
    *, item: ThreadItem, target: models.Model, note: str = "", by: Actor = None
) -> ThreadLink:
    """Record that ``target`` (an action, benefit, KPI...) contributes to ``item``."""
    if getattr(target, "organisation_id", None) != item.organisation_id:
        raise ServiceError(LINK_ELSEWHERE, field="item")
    if item.level == Level.INDIVIDUAL_OBJECTIVE:
        raise ServiceError(NOT_AN_OBJECTIVE, field="item")
    content_type = ContentType.objects.get_for_model(target)
    clash = ThreadLink.objects.filter(item=item, content_type=content_type, object_id=target.pk)
    if clash.exists():
        raise ServiceError(LINKED_ALREADY.format(item=item.title), field="item")
    return create_attributed(
        ThreadLink,
        by=by,
        organisation_id=item.organisation_id,
        item=item,
        content_type=content_type,
        object_id=target.pk,
        note=note.strip(),
    )


@transaction.atomic
def thread_link_delete(*, link: ThreadLink, by: Actor = None) -> None:
    attribute(link, by)
    link.delete()


@transaction.atomic
def thread_links_forget(*, target: models.Model) -> int:
    """Delete every link of ``target``, which is being deleted; each removal is in the history."""
    content_type = ContentType.objects.get_for_model(target)
    count = 0
    for link in ThreadLink.objects.filter(content_type=content_type, object_id=target.pk):
        link.delete()
        count += 1
    return count

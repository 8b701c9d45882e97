"""No view writes to the database: every write goes through a service.

A crude, structural check: it reads each app's views.py and names every call
that saves, creates, updates or deletes a model. A view that needs to change
something calls a service, which is one transaction and records who made the
change.
"""

from __future__ import annotations

import ast
from pathlib import Path

import goldenthread

#: Calls that write a model (on an instance, a manager or a queryset).
WRITES = frozenset(
    {"save", "delete", "create", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
)
SOURCE = Path(goldenthread.__file__).parent


def writes_in(source: str) -> list[str]:
    """Each model write in ``source``, as ``line: call``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        receiver = ast.unparse(node.func.value)
        queryset_update = node.func.attr == "update" and (
            "objects" in receiver or "filter(" in receiver
        )
        if node.func.attr in WRITES or queryset_update:
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_the_check_finds_each_kind_of_write() -> None:
    source = """
def view(request):
    job.result_url = "/done"
    job.save(update_fields=["result_url"])
    Unit.objects.create(code="A")
    Post.objects.filter(snapshot=snapshot).update(title="")
    snapshot.delete()
    context.update({"a": 1})
    services.unit_create(organisation=organisation, code="A", name="A")
"""
    assert [line.split(":")[0] for line in writes_in(source)] == ["4", "5", "6", "7"]


def test_no_view_module_writes_a_model() -> None:
    views = sorted(SOURCE.glob("*/views.py"))
    assert len(views) > 5
    found = {
        path.relative_to(SOURCE).as_posix(): writes
        for path in views
        if (writes := writes_in(path.read_text()))
    }
    assert found == {}

"""No uploaded file is opened while a web request is handled: only background jobs read them.

Every file reader (each ``read_*`` and ``detect*`` function of the formats
package, the structure engine's readers, the workbook and CSV libraries and
reading a zip archive) is replaced, for the duration of each request, by a
stand-in that records the call and raises. Each upload form is posted and each
page that follows is opened under that guard; the jobs the upload queued then
run without it, and the pages that show their outcome are opened under it
again. The upload forms are found by walking the URL configuration for pages
that show a file input, so a new upload form fails this test until it is
listed in :data:`UPLOAD_FORMS`.
"""

from __future__ import annotations

import importlib
import io
import pkgutil
import sys
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import polars
import pytest
import python_calamine
from django.urls import reverse

import goldenthread.formats
from goldenthread.formats.writing import Sheet, write_xlsx
from goldenthread.jobs.models import Job, JobStatus
from goldenthread.kit.models import ImportRun, ImportStatus
from goldenthread.structure.models import StructureUpload
from tests.conftest import DEMO_PASSWORD
from tests.html import attribute
from tests.test_isolation import ADMIN_NAMESPACE, ORG_ROUTES, ROUTES, _url

pytestmark = pytest.mark.django_db

#: Third-party entry points that read a spreadsheet or a CSV file.
LIBRARY_READERS = [
    (python_calamine, "CalamineWorkbook"),
    (polars, "read_csv"),
    (polars, "scan_csv"),
    (polars, "read_excel"),
    (polars, "read_ods"),
]
#: Readers outside the formats package that open an upload.
APP_READERS = [
    ("goldenthread.structure.engine", "detect"),
    ("goldenthread.structure.engine", "header"),
    ("goldenthread.structure.engine", "read_upload"),
    ("goldenthread.kit.importing", "read_rows"),
]


#: Every page a member may open: the organisation's, and those that take no argument
#: (Django's admin has no upload form of ours; signing out is left for last).
PAGES = ORG_ROUTES + [
    route
    for route in ROUTES
    if not route.arguments
    and not route.name.startswith(ADMIN_NAMESPACE + ":")
    and route.name != "accounts:logout"
]


class ReadInRequest(AssertionError):
    """A file reader was called while a request was being handled."""


def _formats_readers() -> dict[int, tuple[object, str]]:
    """Every reader of the formats package (and the apps' own), by identity."""
    found: dict[int, tuple[object, str]] = {}
    for info in pkgutil.iter_modules(goldenthread.formats.__path__):
        module = importlib.import_module(f"goldenthread.formats.{info.name}")
        for name, value in vars(module).items():
            reads = name.lstrip("_").startswith(("read_", "detect"))
            if reads and callable(value) and getattr(value, "__module__", "") == module.__name__:
                found[id(value)] = (value, f"{module.__name__}.{name}")
    for module_name, name in APP_READERS:
        value = getattr(importlib.import_module(module_name), name)
        found[id(value)] = (value, f"{module_name}.{name}")
    return found


def _stand_in(label: str, calls: list[str]) -> Callable[..., None]:
    def refuse(*args: object, **kwargs: object) -> None:
        calls.append(label)
        raise ReadInRequest(f"{label} was called while a request was handled")

    return refuse


def _refused_class(label: str, calls: list[str]) -> type:
    """Stands in for a class: making one, by any of its constructors, is refused."""
    refuse = _stand_in(label, calls)

    class Refused:
        from_path = from_filelike = staticmethod(refuse)

        def __init__(self, *args: object, **kwargs: object) -> None:
            refuse()

    return Refused


class _ReadOnlyRefused(zipfile.ZipFile):
    calls: list[str] = []

    def __init__(self, file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> None:
        if mode == "r":
            self.calls.append("zipfile.ZipFile")
            raise ReadInRequest("a zip archive was opened while a request was handled")
        super().__init__(file, mode, *args, **kwargs)


@contextmanager
def no_reading() -> Iterator[list[str]]:
    """Every file reader refuses to run inside this block; yields the calls tried."""
    calls: list[str] = []
    readers = _formats_readers()
    with pytest.MonkeyPatch.context() as patch:
        for name, module in list(sys.modules.items()):
            if not name.startswith("goldenthread.") or module is None:
                continue
            for attr, value in list(vars(module).items()):
                if id(value) in readers and readers[id(value)][0] is value:
                    patch.setattr(module, attr, _stand_in(readers[id(value)][1], calls))
        for library, attr in LIBRARY_READERS:
            label = f"{library.__name__}.{attr}"
            if attr == "CalamineWorkbook":
                patch.setattr(library, attr, _refused_class(label, calls))
            else:
                patch.setattr(library, attr, _stand_in(label, calls))
        refused_zip = type("RefusedZip", (_ReadOnlyRefused,), {"calls": calls})
        patch.setattr(zipfile, "ZipFile", refused_zip)
        yield calls


def _checked(response: Any) -> Any:
    assert response.status_code in {200, 302}, (response.status_code, response.content[:500])
    return response


def _follow(client: Any, response: Any, hops: int = 5) -> list[Any]:
    """Open each page a redirect leads to, as a browser would, checking each answers."""
    pages = [_checked(response)]
    while response.status_code == 302 and hops:
        response = _checked(client.get(response["Location"]))
        pages.append(response)
        hops -= 1
    return pages


def named(name: str, data: bytes) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


# ---------------------------------------------------------------------------
# Each upload form, posted and followed through to its outcome.

POSTS_CSV = b"""Post ref,Manager ref,Job,Directorate
CX1,XX,Chief Executive,Office
DIR1,CX1,Director of People,People
"""
POSTS_COLUMNS = ["", "Post ref", "Manager ref", "Job", "Directorate"]


def _posts_workbook() -> bytes:
    return write_xlsx(
        [
            Sheet(
                "Posts",
                ["Post ref", "Manager ref", "Job", "Directorate"],
                [["CX1", "XX", "Chief Executive", "Office"], ["DIR1", "CX1", "Director", "People"]],
            )
        ]
    )


def _structure_upload(client: Any, organisation: Any, capture: Any, name: str, data: bytes) -> None:
    """Upload, wait for the inspection, match the columns, then see the check's outcome."""
    slug = organisation.slug
    upload_url = reverse("structure:snapshot_upload", kwargs={"org_slug": slug})
    with capture(execute=True), no_reading() as calls:
        _checked(client.get(upload_url))
        posted = client.post(
            upload_url,
            {
                "name": "Read in a job",
                "kind": "as_is",
                "fmt": "auto",
                "problems": "strict",
                "file": named(name, data),
            },
        )
        assert posted.status_code == 302, posted.content.decode()[:2000]
        upload = StructureUpload.objects.latest("pk")
        job = Job.objects.get(pk=upload.inspect_job_id)
        # The file is kept and its inspection queued, not run.
        assert (upload.fmt, upload.columns, job.status) == ("auto", [], JobStatus.QUEUED)
        pages = _follow(client, posted)
        assert pages[-1].status_code == 200
        mapping_url = reverse(
            "structure:upload_mapping", kwargs={"org_slug": slug, "upload_id": upload.pk}
        )
        assert _follow(client, client.get(mapping_url))[-1].status_code == 200
        assert client.post(mapping_url, {"post_id": "Post ref"}).status_code == 302
    assert calls == []
    # The inspection has run, away from any request: the file was read once, there.
    upload.refresh_from_db()
    assert Job.objects.get(pk=upload.inspect_job_id).status == JobStatus.SUCCEEDED
    assert (upload.fmt, upload.columns) == ("table", POSTS_COLUMNS[1:])
    with capture(execute=True), no_reading() as calls:
        mapping = _follow(client, client.get(posted["Location"]))[-1]
        assert mapping.request["PATH_INFO"] == mapping_url
        assert attribute(mapping, "select[name=post_id] option", "value") == POSTS_COLUMNS
        chosen = client.post(mapping_url, {"post_id": "Post ref", "reports_to": "Manager ref"})
        assert chosen.status_code == 302
    assert calls == []
    run = ImportRun.objects.latest("pk")
    assert run.status == ImportStatus.READY, run.problems
    with no_reading() as calls:
        assert _follow(client, client.get(chosen["Location"]))[-1].status_code == 200
    assert calls == []


def structure_upload(client: Any, organisation: Any, capture: Any) -> None:
    _structure_upload(client, organisation, capture, "posts.csv", POSTS_CSV)
    _structure_upload(client, organisation, capture, "posts.xlsx", _posts_workbook())


def _register_import(
    client: Any, organisation: Any, capture: Any, url_name: str, filename: str, data: bytes
) -> None:
    """Upload a register's file, see its check queued, then its preview."""
    url = reverse(url_name, kwargs={"org_slug": organisation.slug})
    with capture(execute=True), no_reading() as calls:
        _checked(client.get(url))
        posted = client.post(url, {"file": named(filename, data)})
        assert posted.status_code == 302, posted.content.decode()[:2000]
        run = ImportRun.objects.latest("pk")
        assert run.status == ImportStatus.CHECKING
        assert _follow(client, posted)[-1].status_code == 200
    assert calls == []
    run.refresh_from_db()
    assert run.status == ImportStatus.READY, run.problems
    with no_reading() as calls:
        assert _follow(client, client.get(posted["Location"]))[-1].status_code == 200
    assert calls == []


def unit_import(client: Any, organisation: Any, capture: Any) -> None:
    data = b"code,name,kind,parent_code\nREAD-1,Read in a job,team,\n"
    _register_import(client, organisation, capture, "core:unit_import", "units.csv", data)


def band_import(client: Any, organisation: Any, capture: Any) -> None:
    data = b"grade,cost\nGrade READ,21000\n"
    _register_import(client, organisation, capture, "structure:band_import", "bands.csv", data)


def action_import(client: Any, organisation: Any, capture: Any) -> None:
    from tests.url_samples import _programme

    name = _programme(organisation).name
    data = f"reference,programme,title\nREAD-1,{name},Read in a job\n".encode()
    _register_import(client, organisation, capture, "programme:action_import", "a.csv", data)


def milestone_import(client: Any, organisation: Any, capture: Any) -> None:
    from tests.url_samples import _action

    data = f"milestone,due_on\n{_action(organisation).reference}: Read,31/03/2027\n".encode()
    _register_import(client, organisation, capture, "programme:milestone_import", "m.csv", data)


def saving_import(client: Any, organisation: Any, capture: Any) -> None:
    from tests.url_samples import _action

    data = f"saving,amount\n{_action(organisation).reference} 2026/27,1000\n".encode()
    _register_import(client, organisation, capture, "programme:saving_import", "s.csv", data)


def benefit_import(client: Any, organisation: Any, capture: Any) -> None:
    data = b"reference,title,type\nREAD-B1,Read in a job,Quality improvement\n"
    _register_import(
        client, organisation, capture, "programme:benefit_import", "benefits.csv", data
    )


def benefit_profile_import(client: Any, organisation: Any, capture: Any) -> None:
    from goldenthread.programme.benefits.services import benefit_create

    benefit_create(
        organisation=organisation,
        reference="READ-B2",
        title="Read in a job",
        type="Quality improvement",
        by=None,
    )
    data = b"benefit,year,planned\nREAD-B2,2025/26,100\n"
    _register_import(
        client, organisation, capture, "programme:benefit_profile_import", "profiles.csv", data
    )


def risk_import(client: Any, organisation: Any, capture: Any) -> None:
    data = (
        b"reference,title,category,inherent likelihood,inherent impact,residual likelihood,"
        b"residual impact\nREAD-R1,Read in a job,Financial,4,4,3,3\n"
    )
    _register_import(client, organisation, capture, "programme:risk_import", "risks.csv", data)


def mitigation_import(client: Any, organisation: Any, capture: Any) -> None:
    from tests.url_samples import _risk

    data = f"mitigation,description\n{_risk(organisation).reference}/99,Read in a job\n".encode()
    _register_import(
        client, organisation, capture, "programme:mitigation_import", "mitigations.csv", data
    )


#: Every page with a file input, by URL name, and how to upload through it.
UPLOAD_FORMS: dict[str, Callable[[Any, Any, Any], None]] = {
    "structure:snapshot_upload": structure_upload,
    "core:unit_import": unit_import,
    "structure:band_import": band_import,
    "programme:action_import": action_import,
    "programme:milestone_import": milestone_import,
    "programme:saving_import": saving_import,
    "programme:benefit_import": benefit_import,
    "programme:benefit_profile_import": benefit_profile_import,
    "programme:risk_import": risk_import,
    "programme:mitigation_import": mitigation_import,
}


@pytest.fixture
def admin(client: Any, demo: Any) -> Any:
    client.login(username="demo-admin", password=DEMO_PASSWORD)
    return client


def test_the_guard_catches_a_reader_called_in_a_request(admin: Any) -> None:
    """Without this the other tests could pass by guarding nothing."""
    from goldenthread.formats import reading, tabular
    from goldenthread.structure import engine

    with no_reading() as calls:
        for read in (
            lambda: engine.header("a.csv", b"a,b\n1,2\n"),
            lambda: reading.read_frame("a.csv"),
            lambda: tabular.read_sheets(b"a\n1\n", "a.csv"),
            lambda: python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(b"")),
            lambda: polars.read_csv(io.BytesIO(b"a\n1\n")),
            lambda: zipfile.ZipFile(io.BytesIO(b"")),
        ):
            with pytest.raises(ReadInRequest):
                read()
    assert len(calls) == 6
    # Outside the block the readers work again.
    assert polars.read_csv(io.BytesIO(b"a\n1\n")).columns == ["a"]


def test_every_upload_form_is_known(admin: Any, demo: Any) -> None:
    """Walk every page: each one with a file input must be listed above; none reads a file."""
    found = set()
    with no_reading() as calls:
        for route in PAGES:
            response = admin.get(_url(route, demo))
            html = response.get("Content-Type", "").startswith("text/html")
            if response.status_code == 200 and html and b'type="file"' in response.content:
                found.add(route.name)
    assert calls == []
    assert found == set(UPLOAD_FORMS), "list each upload form in UPLOAD_FORMS"


@pytest.mark.parametrize("name", sorted(UPLOAD_FORMS))
def test_an_upload_is_read_only_in_its_jobs(
    admin: Any, demo: Any, django_capture_on_commit_callbacks: Any, name: str
) -> None:
    UPLOAD_FORMS[name](admin, demo, django_capture_on_commit_callbacks)

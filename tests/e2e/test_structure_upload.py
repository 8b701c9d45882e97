"""Each real published structure file uploaded in the browser: good ones become
snapshots with the right number of posts; the broken DWP file shows every
problem and saves nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DEMO_PASSWORD, skip_or_fail
from tests.e2e.conftest import sign_in
from tests.e2e.test_accessibility import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real"
DCLG = "department_for_communities_and_local_government-2011-09-30-senior.csv"
MOD_2016 = "ministry_of_defence-2016-03-31-senior.csv"
MOD_2016_JUNIOR = "ministry_of_defence-2016-03-31-junior.csv"
MOD_2015 = "ministry_of_defence-2015-09-30-senior.csv"
TRAFFORD = "trafford_council_organisation_structure.csv"
DWP = "300913-DWP.xls-senior.csv"


@pytest.fixture
def editor_page(page, live_server):
    from goldenthread.demo.builder import demo_load

    if not REAL.is_dir():
        skip_or_fail(f"the real data folder {REAL.name} is not beside the repository")
    demo_load(password=DEMO_PASSWORD)
    sign_in(page, live_server.url, "demo-editor")
    return page


def upload(page, base: str, name: str, senior: str, junior: str | None = None) -> None:
    page.goto(f"{base}/o/brackenford/structures/upload/")
    page.get_by_label("Name of the snapshot").fill(name)
    page.get_by_label("The file of posts").set_input_files(str(REAL / senior))
    if junior:
        page.get_by_label("Junior staff file (optional, organograms only)").set_input_files(
            str(REAL / junior)
        )
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    # The file was first read by its inspection job, which led on to the check.
    from goldenthread.structure.models import StructureUpload

    inspection = StructureUpload.objects.latest("pk").inspect_job
    assert inspection is not None and inspection.status == "succeeded", inspection


def save(page) -> None:
    """Confirm the checked upload's preview."""
    page.get_by_role("button", name="Save these changes").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize(
    ("senior", "junior", "posts"),
    [
        (DCLG, None, 98),
        (MOD_2016, MOD_2016_JUNIOR, 704),
        (MOD_2015, None, 651),
        (TRAFFORD, None, 80),
    ],
)
def test_a_published_file_becomes_a_snapshot(
    editor_page, live_server, senior, junior, posts
) -> None:
    upload(editor_page, live_server.url, f"From {senior[:20]}", senior, junior)
    # The preview first: every post is new, as the organisation has no as-is snapshot like it.
    assert "Save these changes" in editor_page.content()
    assert describe(axe_violations(editor_page)) == ""
    save(editor_page)
    content = editor_page.content()
    assert f"{posts} posts saved as the snapshot" in content
    editor_page.get_by_role("link", name="See what changed").click()
    editor_page.wait_for_load_state("networkidle")
    assert editor_page.locator("h1").inner_text().startswith("From ")
    assert describe(axe_violations(editor_page)) == ""


def test_the_broken_dwp_file_lists_its_problems_and_saves_nothing(editor_page, live_server) -> None:
    from goldenthread.structure.models import Post, Snapshot

    snapshots, posts = Snapshot.objects.count(), Post.objects.count()
    upload(editor_page, live_server.url, "DWP September 2013", DWP)
    content = editor_page.content()
    assert "The file cannot be saved: nothing was saved" in content
    problems = editor_page.locator(".gt-import-findings[data-kind=problems] tbody tr")
    text = "\n".join(problems.all_inner_texts())
    assert "DWP135" in text
    assert problems.count() == 1
    assert (Snapshot.objects.count(), Post.objects.count()) == (snapshots, posts)
    assert describe(axe_violations(editor_page)) == ""

    # Apply the listed repairs, see them among the notes, and save.
    editor_page.get_by_role("link", name="Apply the listed repairs").click()
    assert describe(axe_violations(editor_page)) == ""
    editor_page.get_by_role("button", name="Apply the repairs and check again").click()
    editor_page.wait_for_load_state("networkidle")
    assert "DWP135~2" in editor_page.locator(".gt-import-notes").inner_text()
    assert describe(axe_violations(editor_page)) == ""
    save(editor_page)
    assert Snapshot.objects.count() == snapshots + 1

"""Risks and mitigations out to Excel and back in through the import kit: unchanged, or refused."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.kit.models import ImportRun, ImportStatus
from goldenthread.programme.models import Mitigation, Risk
from goldenthread.programme.risks import importing, services
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.programme.factories import make_action, make_programme
from tests.programme.risk_fixtures import make_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Brackenford Borough Council", slug="brackenford")


@pytest.fixture
def editor(client, organisation):
    member(organisation, Role.EDITOR, username="ed")
    client.login(username="ed", password=PASSWORD)
    return client


@pytest.fixture
def risks(organisation):
    programme = make_programme(organisation, name="Shaping our Future")
    first, second = make_action(programme, reference="A1"), make_action(programme, reference="A2")
    services.risk_settings_update(
        organisation=organisation,
        categories=["Political and member"],
        matrix=[],
        bands=[
            {"name": "Low", "from": 1, "to": 4, "review_days": 180},
            {"name": "Medium", "from": 5, "to": 11, "review_days": 90},
            {"name": "High", "from": 12, "to": 25, "review_days": 30},
        ],
        review_days=30,
        by=None,
    )
    made = []
    for number in range(1, 22):
        risk = make_risk(
            organisation,
            f"R{number}",
            title='=HYPERLINK("http://x")' if number == 1 else f"Risk {number}",
            programme=programme if number % 2 else None,
            cause="Capacity is short" if number % 3 else "",
            category="Political and member" if number == 5 else "Financial",
            owner="Programme Director",
            review_days=14 if number == 7 else None,
            next_review_on=dt.date(2026, 5, number),
            actions=[first, second] if number == 2 else [first] if number == 3 else [],
            status="closed" if number == 4 else "open",
        )
        services.mitigation_create(
            risk=risk,
            description=f"Mitigation of {number}",
            owner="Head of HR",
            due_on=dt.date(2026, 6, 1),
            by=None,
        )
        made.append(risk)
    return made


def url(name, organisation, **kwargs):
    return reverse(f"programme:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


def upload(client, organisation, page: str, name: str, data: bytes, capture) -> ImportRun:
    file = io.BytesIO(data)
    file.name = name
    with capture(execute=True):
        response = client.post(url(page, organisation), {"file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    run = ImportRun.objects.latest("pk")
    run.refresh_from_db()
    return run


def confirm(client, organisation, run, capture) -> ImportRun:
    with capture(execute=True):
        client.post(
            reverse("kit:import_confirm", kwargs={"org_slug": organisation.slug, "run_id": run.pk})
        )
    run.refresh_from_db()
    return run


@pytest.mark.parametrize(
    ("page", "export", "count"),
    [("risk_import", "risk_export", 21), ("mitigation_import", "mitigation_export", 21)],
)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_imports_again_unchanged(
    editor, organisation, risks, page, export, count, fmt, django_capture_on_commit_callbacks
) -> None:
    exported = editor.get(url(export, organisation, fmt=fmt))
    assert exported.status_code == 200
    run = upload(
        editor,
        organisation,
        page,
        f"file.{fmt}",
        exported.content,
        django_capture_on_commit_callbacks,
    )
    assert run.status == ImportStatus.READY, run.problems
    assert run.counts == {"create": 0, "update": 0, "unchanged": count}


HEADER = (
    "reference,title,category,inherent_likelihood,inherent_impact,residual_likelihood,"
    "residual_impact,actions"
)


def test_a_file_adds_and_changes_risks(
    editor, organisation, risks, django_capture_on_commit_callbacks
) -> None:
    data = (
        f"{HEADER}\nR2,Risk 2 renamed,Financial,4,4,3,3,A2\n"
        "R99,Supplier cannot deliver,partnership,3,4,2,5,\n"
    ).encode()
    run = upload(
        editor, organisation, "risk_import", "risks.csv", data, django_capture_on_commit_callbacks
    )
    assert run.status == ImportStatus.READY, run.problems
    assert run.counts == {"create": 1, "update": 1, "unchanged": 0}
    run = confirm(editor, organisation, run, django_capture_on_commit_callbacks)
    assert run.status == ImportStatus.DONE, run.summary
    changed = Risk.objects.get(reference="R2")
    assert changed.title == "Risk 2 renamed"
    assert list(changed.actions.values_list("reference", flat=True)) == ["A2"]
    assert changed.cause == "Capacity is short"  # the file has no cause column
    added = Risk.objects.get(reference="R99")
    assert (added.category, added.residual_score) == ("Partnership", 10)


@pytest.mark.parametrize(("value", "kept"), [("0", False), ("1", True), ("5", True), ("6", False)])
def test_likelihood_and_impact_outside_1_to_5_are_row_errors(
    editor, organisation, value, kept, django_capture_on_commit_callbacks
) -> None:
    data = f"{HEADER}\nR1,Risk,Financial,{value},3,3,{value},\n".encode()
    run = upload(
        editor, organisation, "risk_import", "risks.csv", data, django_capture_on_commit_callbacks
    )
    if kept:
        assert run.status == ImportStatus.READY, run.problems
        return
    assert run.status == ImportStatus.FAILED
    assert [(p["row"], p["column"], p["message"]) for p in run.problems] == [
        (2, "inherent_likelihood", importing.OUT_OF_SCALE),
        (2, "residual_impact", importing.OUT_OF_SCALE),
    ]


def test_unknown_categories_actions_and_programmes_are_row_errors_and_nothing_is_saved(
    editor, organisation, risks, django_capture_on_commit_callbacks
) -> None:
    data = (
        f"{HEADER},programme\n"
        "R50,Good row,Financial,3,3,3,3,,\n"
        "R51,Weather,Weather,3,3,3,3,,\n"
        'R52,Unknown action,Financial,3,3,3,3,"A1, A9",\n'
        "R53,Unknown programme,Financial,3,3,3,3,,Another programme\n"
    ).encode()
    run = upload(
        editor, organisation, "risk_import", "risks.csv", data, django_capture_on_commit_callbacks
    )
    assert run.status == ImportStatus.FAILED
    problems = [(p["row"], p["column"], p["message"]) for p in run.problems]
    allowed = (
        "Financial, Delivery and timescale, Quality, Reputational, Legal and regulatory, "
        "People, Technology, Partnership, Political and member"
    )
    assert problems == [
        (3, "category", importing.UNKNOWN_CATEGORY.format(value="Weather", allowed=allowed)),
        (4, "actions", importing.UNKNOWN_ACTIONS.format(references="A9")),
        (5, "programme", importing.UNKNOWN_PROGRAMME.format(value="Another programme")),
    ]
    assert not Risk.objects.filter(reference="R50").exists()


def test_a_mitigation_file_adds_by_number_and_refuses_an_unknown_risk(
    editor, organisation, risks, django_capture_on_commit_callbacks
) -> None:
    data = b"mitigation,description,status\nR1/1,Mitigation of 1,done\nR1/2,Advisor network,\n"
    run = upload(
        editor, organisation, "mitigation_import", "m.csv", data, django_capture_on_commit_callbacks
    )
    assert run.counts == {"create": 1, "update": 1, "unchanged": 0}, run.problems
    confirm(editor, organisation, run, django_capture_on_commit_callbacks)
    mitigations = Mitigation.objects.filter(risk__reference="R1").order_by("position")
    assert [(m.position, m.description, m.status) for m in mitigations] == [
        (1, "Mitigation of 1", "done"),
        (2, "Advisor network", "planned"),
    ]
    bad = b"mitigation,description\nR77/1,Nothing to mitigate\nR1,No number\n"
    run = upload(
        editor, organisation, "mitigation_import", "m.csv", bad, django_capture_on_commit_callbacks
    )
    messages = [(p["row"], p["message"]) for p in run.problems]
    assert messages[0][0] == 3 and messages[0][1].endswith(
        "a slash and the mitigation's number, such as R1/2"
    )
    assert (2, importing.UNKNOWN_RISK.format(reference="R77")) in messages


def test_a_formula_looking_title_is_exported_inert_and_read_back_as_written(
    editor, organisation, risks
) -> None:
    exported = editor.get(url("risk_export", organisation, fmt="csv"))
    assert "'=HYPERLINK" in exported.content.decode("utf-8-sig")


BANDS = [
    {"name": "Low", "from": 1, "to": 4, "review_days": 180},
    {"name": "Medium", "from": 5, "to": 11, "review_days": 90},
    {"name": "High", "from": 12, "to": 25, "review_days": 30},
]


class _Interleaving:
    """Progress of one organisation's check that runs another's check part-way through."""

    def __init__(self, other) -> None:
        self.other = other

    def stage(self, stage: str, total: int = 0) -> None:
        pass

    def beat(self) -> None:
        pass

    def advance(self, done: int) -> None:
        if self.other is not None:
            other, self.other = self.other, None
            other()


def test_two_organisations_checking_at_once_each_read_their_own_categories() -> None:
    from goldenthread.kit.importing import Report, importer_get

    importer = importer_get(importing.RISKS_IMPORTER)
    runs = {}
    for slug, own in (("north", "Flooding"), ("south", "Coastal erosion")):
        council = OrganisationFactory(slug=slug)
        services.risk_settings_update(
            organisation=council,
            categories=[own],
            matrix=[],
            bands=BANDS,
            review_days=30,
            by=None,
        )
        for reference in ("R1", "R2", "R3"):
            make_risk(council, reference, category=own)
        rows = "".join(f"{ref},Risk {ref},{own.upper()},4,4,3,3,\n" for ref in ("R1", "R2", "R3"))
        runs[slug] = ImportRun(
            organisation=council, filename="risks.csv", data=f"{HEADER}\n{rows}".encode()
        )
    south = []
    north = importer.plan(
        runs["north"],
        Report("risks.csv"),
        _Interleaving(
            lambda: south.append(
                importer.plan(runs["south"], Report("risks.csv"), _Interleaving(None))
            )
        ),
    )
    assert north.counts() == {"create": 0, "update": 0, "unchanged": 3}
    assert south[0].counts() == {"create": 0, "update": 0, "unchanged": 3}
    assert not vars(importer)  # the shared importer keeps nothing between runs


def test_a_category_in_another_case_is_saved_as_the_organisation_spells_it(organisation) -> None:
    services.risk_settings_update(
        organisation=organisation,
        categories=["Political and member"],
        matrix=[],
        bands=BANDS,
        review_days=30,
        by=None,
    )
    risk = make_risk(organisation, "R1", category="POLITICAL AND MEMBER")
    assert risk.category == "Political and member"

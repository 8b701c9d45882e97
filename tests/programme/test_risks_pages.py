"""The risk register's pages: the register and its heat map, a risk, its forms, the settings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from goldenthread.accounts.models import Role
from goldenthread.programme.models import Mitigation, Risk, RiskCategory, RiskStatus
from goldenthread.programme.risks import services
from goldenthread.programme.risks.cards import risks_card
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.html import column, error_summary, links, select, text
from tests.programme.factories import make_action, make_programme
from tests.programme.risk_fixtures import make_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Brackenford Borough Council", slug="brackenford")


def as_role(client, organisation, role, username):
    member(organisation, role, username=username)
    client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def editor(client, organisation):
    return as_role(client, organisation, Role.EDITOR, "ed")


@pytest.fixture
def admin(client, organisation):
    return as_role(client, organisation, Role.ADMIN, "ad")


@pytest.fixture
def programme(organisation):
    return make_programme(organisation, name="Shaping our Future")


def url(name, organisation, **kwargs):
    return reverse(f"programme:{name}", kwargs={"org_slug": organisation.slug, **kwargs})


@pytest.fixture
def risks(organisation, programme):
    """24 open risks, scores 1 to 24 by likelihood and impact; the even ones overdue."""
    today = timezone.localdate()
    made = []
    for number in range(1, 25):
        likelihood, impact = (number - 1) // 5 + 1, (number - 1) % 5 + 1
        made.append(
            make_risk(
                organisation,
                f"R{number:02}",
                title=f"Risk number {number}",
                programme=programme,
                owner="Programme Director" if number % 3 else "Head of Digital",
                category=RiskCategory.values[number % 8],
                residual_likelihood=likelihood,
                residual_impact=impact,
                next_review_on=today + dt.timedelta(days=-5 if number % 2 == 0 else 20),
            )
        )
    return made


# session, user, membership, the risk settings (bands for the score tags and the heat map),
# the heat map's grouped count, the shell's organisations, the programme filter's
# programmes, the count, the rows
REGISTER_QUERIES = 9


def score(number: int) -> int:
    """The residual score the fixture gives risk ``number``."""
    return ((number - 1) // 5 + 1) * ((number - 1) % 5 + 1)


def refs(keep) -> list[str]:
    return [f"R{n:02}" for n in range(1, 25) if keep(n)]


def test_the_register_lists_risks_with_fixed_queries(
    editor, organisation, risks, django_assert_num_queries
) -> None:
    with django_assert_num_queries(REGISTER_QUERIES):
        response = editor.get(url("risk_list", organisation))
    assert text(response, ".gt-result-count") == "24 risks"
    # The highest residual score first, with its band.
    assert column(response, 6, "#register-rows table")[0] == "20 Very high"
    overdue = select(response, "#register-rows tbody tr .gt-overdue")
    assert len(overdue) == 12 and overdue[0] == "Review overdue"


def test_the_register_filtered_and_sorted_keeps_its_queries(
    editor, organisation, programme, risks, django_assert_num_queries
) -> None:
    query = (
        f"?q=number&status=open&score-from=2&score-to=20&band=5-11&programme={programme.pk}"
        "&overdue=yes&sort=next_review&order=desc"
    )
    with django_assert_num_queries(REGISTER_QUERIES):
        response = editor.get(url("risk_list", organisation) + query)
    rows = select(response, "#register-rows tbody tr td:nth-of-type(1)")
    # Medium (5 to 11) and overdue (even numbers).
    assert sorted(rows) == refs(lambda n: 5 <= score(n) <= 11 and n % 2 == 0)
    assert rows == sorted(rows, reverse=True)  # the same next review: the tie-break, reversed


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=R07", ["R07"]),
        ("?category=Quality", ["R02", "R10", "R18"]),
        ("?owner=digital", ["R03", "R06", "R09", "R12", "R15", "R18", "R21", "R24"]),
        ("?score-from=15", ["R15", "R19", "R20", "R23", "R24"]),
        ("?band=1-4", ["R01", "R02", "R03", "R04", "R06", "R07", "R11", "R16"]),
        ("?overdue=no&score-to=5", ["R01", "R03", "R05", "R07", "R11", "R21"]),
        ("?likelihood=5&impact=4", ["R24"]),
    ],
)
def test_each_filter_narrows_the_register(editor, organisation, risks, query, expected) -> None:
    response = editor.get(url("risk_list", organisation) + query)
    assert sorted(select(response, "#register-rows tbody tr td:nth-of-type(1)")) == expected


def test_the_next_review_range_filter_and_a_download(editor, organisation, risks) -> None:
    today = timezone.localdate()
    before = (today - dt.timedelta(days=1)).isoformat()
    response = editor.get(url("risk_list", organisation) + f"?review-to={before}")
    assert text(response, ".gt-result-count") == "12 risks"
    download = editor.get(url("risk_list", organisation) + "?score-from=16&download=csv")
    lines = download.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Reference,Risk,Category")
    assert [line.split(",")[0] for line in lines[1:]] == ["R24", "R20", "R19"]


def test_the_heat_map_counts_open_risks_and_links_each_count(editor, organisation, risks) -> None:
    services.risk_update(
        risk=risks[0], **{**_fields(risks[0]), "status": RiskStatus.CLOSED}, by=None
    )
    response = editor.get(url("risk_list", organisation))
    assert "residual likelihood and impact (23 in all)" in text(response, ".gt-heat-map caption")
    cell = select(response, '.gt-heat-map td[data-likelihood="5"][data-impact="4"] a')
    assert cell[0].startswith("1")
    href = links(response, '.gt-heat-map td[data-likelihood="5"][data-impact="4"] a')[0][1]
    assert "likelihood=5" in href and "impact=4" in href and "status=open" in href
    closed = select(response, '.gt-heat-map td[data-likelihood="1"][data-impact="1"]')
    assert closed[0].startswith("0")
    assert select(response, ".gt-heat-map th[scope=col]")[0].startswith("Impact 1")
    assert select(response, ".gt-heat-map th[scope=row]")[0].startswith("Likelihood 5")
    inherent = editor.get(url("risk_list", organisation) + "?scores=inherent")
    # Every risk was made with inherent likelihood 4 and impact 4.
    assert select(inherent, '.gt-heat-map td[data-likelihood="4"][data-impact="4"] a')[
        0
    ].startswith("23")


def _fields(risk: Risk) -> dict:
    return {
        name: getattr(risk, name)
        for name in (
            "reference",
            "title",
            "category",
            "programme",
            "cause",
            "event",
            "effect",
            "owner",
            "inherent_likelihood",
            "inherent_impact",
            "residual_likelihood",
            "residual_impact",
            "status",
            "review_days",
            "next_review_on",
        )
    }


def form_data(**changes):
    data = {
        "reference": "R1",
        "title": "Capacity and Expertise",
        "programme": "",
        "cause": "The Councils do not have sufficient capacity and expertise",
        "event": "Delivery slips",
        "effect": "Timescales and cost of delivery suffer",
        "category": "Quality",
        "owner": "Programme Director",
        "inherent_likelihood": "4",
        "inherent_impact": "4",
        "residual_likelihood": "3",
        "residual_impact": "3",
        "status": "open",
        "review_days": "",
        "next_review_on_day": "",
        "next_review_on_month": "",
        "next_review_on_year": "",
        "actions": "",
    }
    data.update(changes)
    return data


def test_a_risk_is_added_through_its_form_and_shown(editor, organisation, programme) -> None:
    make_action(programme, reference="A1", title="Advisor network")
    response = editor.post(
        url("risk_create", organisation),
        form_data(programme=str(programme.pk), actions="a1"),
        follow=True,
    )
    risk = Risk.objects.get()
    assert risk.residual_score == 9 and list(risk.actions.values_list("reference", flat=True)) == [
        "A1"
    ]
    assert text(response, "h1") == "Capacity and Expertise"
    assert text(response, ".gt-risk-statement") == (
        "If the Councils do not have sufficient capacity and expertise, then delivery slips, "
        "resulting in timescales and cost of delivery suffer."
    )
    assert "9 Medium" in text(response, ".gt-residual")
    assert "16 High" in text(response, ".gt-inherent")


@pytest.mark.parametrize("field", list(services.SCALE_FIELDS))
@pytest.mark.parametrize(("value", "kept"), [("0", False), ("1", True), ("5", True), ("6", False)])
def test_the_form_takes_likelihood_and_impact_from_1_to_5(
    editor, organisation, field, value, kept
) -> None:
    response = editor.post(url("risk_create", organisation), form_data(**{field: value}))
    if kept:
        assert response.status_code == 302
        assert getattr(Risk.objects.get(), field) == int(value)
    else:
        assert error_summary(response) == [
            services.OUT_OF_SCALE.format(label=services.SCALE_FIELDS[field])
        ]
        assert not Risk.objects.exists()


def test_unknown_actions_are_refused_by_name(editor, organisation) -> None:
    response = editor.post(url("risk_create", organisation), form_data(actions="A7, A8"))
    assert error_summary(response) == [services.UNKNOWN_ACTIONS.format(references="A7, A8")]


def test_a_risk_is_changed_reviewed_and_deleted(editor, organisation) -> None:
    risk = make_risk(organisation)
    edit = editor.get(url("risk_edit", organisation, risk_id=risk.pk))
    assert edit.status_code == 200
    version = select(edit, "input[name=record_version]")
    assert version is not None
    from goldenthread.accounts.versions import VERSION_FIELD
    from tests.html import parse

    saved = parse(edit).select_one(f"input[name={VERSION_FIELD}]")["value"]
    response = editor.post(
        url("risk_edit", organisation, risk_id=risk.pk),
        form_data(reference="R1", title="Renamed", category="Financial", **{VERSION_FIELD: saved}),
    )
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.title == "Renamed"
    today = timezone.localdate()
    response = editor.post(
        url("risk_review", organisation, risk_id=risk.pk),
        {
            "reviewed_on_day": today.day,
            "reviewed_on_month": today.month,
            "reviewed_on_year": today.year,
            "likelihood": "4",
            "impact": "4",
            "note": "Board review",
        },
        follow=True,
    )
    risk.refresh_from_db()
    assert risk.residual_score == 16
    assert risk.next_review_on == today + dt.timedelta(days=30)
    assert column(response, 4, ".gt-reviews") == ["16 High"]
    response = editor.post(url("risk_delete", organisation, risk_id=risk.pk), follow=True)
    assert not Risk.objects.exists()


def test_a_review_refuses_a_likelihood_outside_the_scale(editor, organisation) -> None:
    risk = make_risk(organisation)
    response = editor.post(
        url("risk_review", organisation, risk_id=risk.pk),
        {
            "reviewed_on_day": "1",
            "reviewed_on_month": "3",
            "reviewed_on_year": "2026",
            "likelihood": "6",
            "impact": "0",
        },
    )
    assert error_summary(response) == [
        services.OUT_OF_SCALE.format(label="Likelihood"),
        services.OUT_OF_SCALE.format(label="Impact"),
    ]


def test_the_trend_shows_each_review_with_a_chart(editor, organisation) -> None:
    risk = make_risk(organisation)
    for month, likelihood in ((1, 2), (2, 3), (3, 4)):
        services.risk_review_create(
            risk=risk, reviewed_on=dt.date(2026, month, 1), likelihood=likelihood, impact=4, by=None
        )
    response = editor.get(url("risk_detail", organisation, risk_id=risk.pk))
    assert column(response, 4, ".gt-reviews") == ["8 Medium", "12 High", "16 High"]
    assert "From 8 to 16 over 3 reviews: risen." in text(response, "#trend-summary")


def test_mitigations_are_added_changed_and_removed(editor, organisation) -> None:
    risk = make_risk(organisation)
    response = editor.post(
        url("mitigation_create", organisation, risk_id=risk.pk),
        {
            "description": "Advisor network",
            "owner": "Programme Director",
            "status": "planned",
            "due_on_day": "30",
            "due_on_month": "6",
            "due_on_year": "2026",
        },
        follow=True,
    )
    assert column(response, 2, ".gt-mitigations") == ["Advisor network"]
    mitigation = Mitigation.objects.get()
    assert mitigation.due_on == dt.date(2026, 6, 30)
    edit = editor.get(
        url("mitigation_edit", organisation, risk_id=risk.pk, mitigation_id=mitigation.pk)
    )
    from tests.html import parse

    version = parse(edit).select_one("input[name=record_version]")["value"]
    editor.post(
        url("mitigation_edit", organisation, risk_id=risk.pk, mitigation_id=mitigation.pk),
        {"description": "Advisor network", "status": "done", "record_version": version},
    )
    mitigation.refresh_from_db()
    assert mitigation.status == "done"
    editor.post(
        url("mitigation_delete", organisation, risk_id=risk.pk, mitigation_id=mitigation.pk)
    )
    assert not Mitigation.objects.exists()


def test_another_organisations_risk_is_not_found(editor, organisation) -> None:
    other = OrganisationFactory(name="Elsewhere", slug="elsewhere")
    risk = make_risk(other)
    mitigation = services.mitigation_create(risk=risk, description="Theirs", by=None)
    mine = make_risk(organisation, "M1")
    for name in ("risk_detail", "risk_edit", "risk_delete", "risk_review", "mitigation_create"):
        assert editor.get(url(name, organisation, risk_id=risk.pk)).status_code == 404
    assert (
        editor.get(
            url("mitigation_edit", organisation, risk_id=mine.pk, mitigation_id=mitigation.pk)
        ).status_code
        == 404
    )


def test_a_viewer_reads_but_cannot_change(client, organisation) -> None:
    risk = make_risk(organisation)
    viewer = as_role(client, organisation, Role.VIEWER, "vi")
    assert viewer.get(url("risk_detail", organisation, risk_id=risk.pk)).status_code == 200
    assert viewer.get(url("risk_edit", organisation, risk_id=risk.pk)).status_code == 403
    assert viewer.get(url("risk_settings", organisation)).status_code == 403


def settings_data(**changes):
    data = {"categories": "Weather\nPolitical", "custom_matrix": "no", "review_days": "30"}
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            data[f"matrix_{likelihood}_{impact}"] = str(likelihood * impact)
    for number, (name, low, high, days) in enumerate(
        [
            ("Low", 1, 4, 180),
            ("Medium", 5, 11, 90),
            ("High", 12, 19, 30),
            ("Very high", 20, 25, 30),
        ],
        start=1,
    ):
        data.update(
            {
                f"band_{number}_name": name,
                f"band_{number}_from": str(low),
                f"band_{number}_to": str(high),
                f"band_{number}_review_days": str(days),
            }
        )
    data.update(changes)
    return data


def test_the_settings_page_saves_categories_and_refuses_a_gap(admin, organisation) -> None:
    assert admin.get(url("risk_settings", organisation)).status_code == 200
    response = admin.post(url("risk_settings", organisation), settings_data())
    assert response.status_code == 302
    make_risk(organisation, category="Weather")
    response = admin.get(url("risk_settings", organisation))
    from tests.html import parse

    version = parse(response).select_one("input[name=record_version]")["value"]
    response = admin.post(
        url("risk_settings", organisation),
        settings_data(band_3_from="13", record_version=version),
    )
    assert error_summary(response) == [
        services.BAND_PROBLEM.format(
            number=3, problem="starts at 13; expected 12, the score after the band before it"
        )
    ]
    response = admin.post(
        url("risk_settings", organisation),
        settings_data(categories="Political", record_version=version),
    )
    assert error_summary(response) == [
        services.CATEGORY_IN_USE.format(category="Weather", risks="R1")
    ]


def test_a_risk_links_to_components_and_objectives(editor, organisation) -> None:
    from goldenthread.operating_model import services as tom_services
    from goldenthread.performance import services as thread_services
    from goldenthread.performance.models import Level, ThreadLink

    risk = make_risk(organisation)
    objective = thread_services.thread_item_create(
        organisation=organisation, level=Level.OBJECTIVE, title="One front door"
    )
    response = editor.post(
        reverse(
            "performance:thread_link_create",
            kwargs={"org_slug": organisation.slug, "kind": "risk", "record_id": risk.pk},
        ),
        {"item": objective.pk},
    )
    assert response.status_code == 302, error_summary(response)
    assert ThreadLink.objects.filter(object_id=risk.pk).exists()
    channels = tom_services.version_create(organisation=organisation, title="Our TOM")
    channels = channels.components.get(key="channels")
    response = editor.post(
        reverse(
            "operating_model:component_link_create",
            kwargs={"org_slug": organisation.slug, "kind": "risk", "record_id": risk.pk},
        ),
        {"component": channels.pk},
    )
    assert response.status_code == 302, error_summary(response)
    page = editor.get(url("risk_detail", organisation, risk_id=risk.pk))
    assert (
        "One front door" in text(page, "#links-thread-items + ul")
        if select(page, "#links-thread-items")
        else "One front door" in text(page)
    )
    assert "Channels" in text(page)
    component_page = editor.get(
        reverse(
            "operating_model:component_detail",
            kwargs={"org_slug": organisation.slug, "component_id": channels.pk},
        )
    )
    assert "R1: Risk R1" in text(component_page)
    objective_page = editor.get(
        reverse(
            "performance:item_detail",
            kwargs={"org_slug": organisation.slug, "item_id": objective.pk},
        )
    )
    assert "R1: Risk R1" in text(objective_page, ".gt-contributions")
    services.risk_delete(risk=risk, by=None)
    assert not ThreadLink.objects.exists()


def test_the_dashboard_card_counts_open_risks_and_overdue_reviews(organisation) -> None:
    today = timezone.localdate()
    make_risk(organisation, "R1", next_review_on=today - dt.timedelta(days=1))
    make_risk(organisation, "R2", next_review_on=today + dt.timedelta(days=1))
    membership = member(organisation, Role.VIEWER, username="vi")
    from goldenthread.accounts.models import Membership

    card = risks_card(organisation, Membership.objects.get(user=membership))
    assert card is not None and card.title == "Risks: 2 open, 1 review overdue"


def test_a_matrix_of_your_own_rescores_and_refuses_a_cell_outside_1_to_25(
    admin, organisation
) -> None:
    risk = make_risk(organisation, residual_likelihood=2, residual_impact=2)
    response = admin.post(
        url("risk_settings", organisation),
        settings_data(custom_matrix="yes", matrix_2_2="26"),
    )
    assert error_summary(response) == [services.MATRIX_OUT_OF_RANGE.format(likelihood=2, impact=2)]
    response = admin.post(
        url("risk_settings", organisation), settings_data(custom_matrix="yes", matrix_2_2="9")
    )
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.residual_score == 9


def test_adding_a_risk_from_a_programme_chooses_it(editor, organisation, programme) -> None:
    form = editor.get(url("risk_create", organisation) + f"?programme={programme.pk}")
    assert select(form, "select[name=programme] option[selected]") == ["Shaping our Future"]


def test_the_heat_map_follows_the_programme_filter_and_says_what_it_counts(
    editor, organisation, programme, risks
) -> None:
    other = make_programme(organisation, name="Digital by Default")
    make_risk(organisation, "R90", programme=other, residual_likelihood=5, residual_impact=5)
    make_risk(organisation, "R91", residual_likelihood=5, residual_impact=5)  # no programme
    whole = editor.get(url("risk_list", organisation))
    assert "Heat map of all open risks of the organisation" in text(
        whole, ".gt-heat-map-details summary"
    )
    assert "(26 in all)" in text(whole, ".gt-heat-map caption")
    filtered = editor.get(url("risk_list", organisation) + f"?programme={other.pk}")
    assert "Heat map of the open risks of Digital by Default" in text(
        filtered, ".gt-heat-map-details summary"
    )
    assert "(1 in all)" in text(filtered, ".gt-heat-map caption")
    href = links(filtered, '.gt-heat-map td[data-likelihood="5"][data-impact="5"] a')[0][1]
    assert f"programme={other.pk}" in href
    toggle = links(filtered, ".gt-heat-map__toggle")[0][1]
    assert "scores=inherent" in toggle and f"programme={other.pk}" in toggle

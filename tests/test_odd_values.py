"""The isolation walk with odd values: no URL argument or query parameter can make a 500.

Every URL pattern is walked with each of its arguments replaced by a missing
id, ids beyond what a 64-bit column holds, and values that are not ids at all
(a superscript digit passes ``str.isdigit``). Every page is then asked again
with every query parameter the views read set to each odd value. Nothing may
answer a server error. The query parameters are listed in
tests/url_samples.py; a view that reads one not listed there fails
:func:`test_every_query_parameter_the_views_read_is_listed` until it is.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

import goldenthread
from goldenthread.kit.tables import Table
from tests.conftest import DEMO_PASSWORD
from tests.url_samples import QUERY_PARAMETERS, SAMPLES

#: Ids no organisation has: missing, the largest 64-bit id, one past it, far past it, zero.
ODD_IDS = (
    "987654321",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551616",
    "1" + "0" * 40,
    "0",
)
#: Values that are not ids; they reach views through text arguments and query strings.
ODD_TEXT = ("\u00b2", "-1", "1e3", "\x00", "\u0663", "x" * 5000, "' OR 1=1 --", "\U0001f600")
ODD_VALUES = ODD_IDS + ODD_TEXT

SRC = Path(goldenthread.__file__).parent


def _routes() -> list[tuple[str, dict[str, object]]]:
    """``(name, {argument: converter})`` of every named URL pattern."""
    found: list[tuple[str, dict[str, object]]] = []

    def walk(patterns: list[object], namespace: str, converters: dict[str, object]) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                found_here = getattr(entry.pattern, "converters", {})
                walk(entry.url_patterns, inner, {**converters, **found_here})
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                arguments = dict(converters)
                arguments.update(getattr(entry.pattern, "converters", {}))
                for argument in entry.pattern.regex.groupindex:
                    arguments.setdefault(argument, None)
                found.append((name, arguments))

    walk(get_resolver().url_patterns, "", {})
    return [(n, a) for n, a in found if not n.startswith("admin:")]


ROUTES = _routes()


def _request(method, url: str, failures: list[str], label: str) -> None:
    try:
        response = method(url)
    except Exception as error:  # an exception in the test client is a 500 in production
        failures.append(f"{label} {method.__name__.upper()} {url[:120]} raised {error!r}"[:300])
        return
    if response.status_code >= 500:
        status = response.status_code
        failures.append(f"{label} {method.__name__.upper()} {url[:120]} gave {status}")


def test_odd_values_in_url_arguments_never_answer_a_server_error(client, demo) -> None:
    client.login(username="demo-admin", password=DEMO_PASSWORD)
    failures: list[str] = []
    for name, arguments in ROUTES:
        if not arguments or not set(arguments) <= set(SAMPLES):
            continue
        real = {argument: SAMPLES[argument](demo) for argument in arguments}
        for argument, converter in arguments.items():
            if argument == "org_slug":
                continue
            is_int = isinstance(converter, IntConverter)
            sentinel = 424242 if is_int else "zqzqzq"
            url = reverse(name, kwargs={**real, argument: sentinel})
            values = ODD_IDS if is_int else ODD_VALUES
            for value in values:
                odd = url.replace(f"/{sentinel}/", f"/{quote(value, safe='')}/", 1)
                for method in (client.get, client.post):
                    _request(method, odd, failures, f"{name}[{argument}]")
    assert failures == [], "\n".join(failures)


def test_odd_values_in_every_query_parameter_never_answer_a_server_error(client, demo) -> None:
    client.login(username="demo-admin", password=DEMO_PASSWORD)
    failures: list[str] = []
    for name, arguments in ROUTES:
        if name == "accounts:logout" or not set(arguments) <= set(SAMPLES):
            continue
        url = reverse(name, kwargs={a: SAMPLES[a](demo) for a in arguments} or None)
        for value in ODD_VALUES:
            query = "&".join(f"{p}={quote(value, safe='')}" for p in sorted(QUERY_PARAMETERS))
            _request(client.get, f"{url}?{query}", failures, name)
    assert failures == [], "\n".join(failures)


def _read_parameters(tree: ast.AST) -> set[str]:
    """Names read from ``request.GET`` (``.get("x")``, ``["x"]``, ``"x" in``) in one module."""
    names: set[str] = set()

    def is_get(node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "GET"

    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"get", "getlist"}
            and is_get(node.func.value)
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(str(node.args[0].value))
        elif (
            isinstance(node, ast.Subscript)
            and is_get(node.value)
            and isinstance(node.slice, ast.Constant)
        ):
            names.add(str(node.slice.value))
        elif (
            isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Constant)
            and any(is_get(c) for c in node.comparators)
        ):
            names.add(str(node.left.value))
    return names


def _forms_bound_to_the_query(tree: ast.AST, module: object) -> set[str]:
    """The fields of every form a module binds to ``request.GET``."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and any(
                isinstance(a, ast.Attribute | ast.IfExp) and "GET" in ast.unparse(a)
                for a in node.args
            )
        ):
            form = getattr(module, node.func.id, None)
            names.update(getattr(form, "base_fields", {}))
    return names


def _table_parameters() -> set[str]:
    names = {"sort", "order", "page", "download"}
    for info in pkgutil.walk_packages(goldenthread.__path__, "goldenthread."):
        if not info.name.endswith(".tables"):
            continue
        module = importlib.import_module(info.name)
        for table in vars(module).values():
            if isinstance(table, Table):
                for item in table.filters:
                    names.update(item.params)
    return names


def test_every_query_parameter_the_views_read_is_listed() -> None:
    read: set[str] = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        read |= _read_parameters(tree)
        if "request.GET" in path.read_text() and path.name == "views.py":
            module = importlib.import_module(
                "goldenthread." + ".".join(path.relative_to(SRC).with_suffix("").parts)
            )
            read |= _forms_bound_to_the_query(tree, module)
    read |= _table_parameters()
    missing = sorted(read - set(QUERY_PARAMETERS))
    assert missing == [], f"add these query parameters to QUERY_PARAMETERS: {missing}"
    # The search finds what the views are known to read.
    assert {"parent", "q", "old", "unit", "sort", "choose"} <= read


@pytest.mark.parametrize("value", ["\u00b2", "\u0663", "1e3", "-1", "99999999999999999999"])
def test_a_query_id_is_read_as_ascii_digits_only(value) -> None:
    from goldenthread.accounts.tenancy import query_id

    assert query_id(value) is None
    assert query_id("42") == 42


@pytest.mark.django_db
def test_a_null_character_in_the_query_string_is_a_bad_request(client) -> None:
    """PostgreSQL cannot compare text holding a null character: it never reaches a query."""
    from goldenthread.accounts.models import Role
    from tests.factories import PASSWORD, OrganisationFactory, member

    organisation = OrganisationFactory()
    member(organisation, Role.VIEWER, username="vi")
    client.login(username="vi", password=PASSWORD)
    url = reverse("core:unit_list", kwargs={"org_slug": organisation.slug})
    assert client.get(url, {"q": "a\x00b"}).status_code == 400
    assert client.get(url, {"q": "ab"}).status_code == 200
    # A text argument in the path, too.
    assert client.get("/invitations/a%00b/").status_code == 400


#: The query parameters the picker search reads.
PICKER_SEARCH_PARAMETERS = ("scope", "q")


def test_odd_values_in_every_picker_search_never_answer_a_server_error(client, demo) -> None:
    """Every registered picker, each of its search parameters odd alone and all of them at once."""
    from goldenthread.kit.pickers import PICKERS

    client.login(username="demo-admin", password=DEMO_PASSWORD)
    failures: list[str] = []
    for source in PICKERS.keys():  # noqa: SIM118 - a registry iterates its entries
        url = reverse("pickers:search", kwargs={"org_slug": demo.slug, "source": source})
        for value in ODD_VALUES:
            odd = quote(value, safe="")
            queries = [
                f"{p}={odd}&q=x" if p != "q" else f"q={odd}" for p in PICKER_SEARCH_PARAMETERS
            ]
            queries.append("&".join(f"{p}={odd}" for p in PICKER_SEARCH_PARAMETERS))
            for query in queries:
                _request(client.get, f"{url}?{query}", failures, f"pickers:search[{source}]")
    assert failures == [], "\n".join(failures)


def test_the_picker_search_parameters_are_all_walked() -> None:
    """A parameter the picker search reads that the walk above does not send fails here."""
    from goldenthread.kit import pickers

    tree = ast.parse(Path(pickers.__file__).read_text())
    search = next(
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name == "picker_search"
    )
    assert _read_parameters(search) == set(PICKER_SEARCH_PARAMETERS)


def test_a_picker_finds_no_record_by_an_odd_id(demo) -> None:
    """A typed value is an id only when it is ASCII digits a database id can hold."""
    from goldenthread.kit.pickers import PICKERS

    for source in PICKERS:
        for value in ODD_VALUES:
            source.find(demo, "", value)  # raises nothing
            source.find(demo, value, "1")

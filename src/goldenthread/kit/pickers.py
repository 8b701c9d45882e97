"""Pickers: choose a unit, a post, a TOM component or a golden-thread item by name.

Each app registers the sources of what it holds in :data:`PICKERS` (in its
``AppConfig.ready()``); the kit imports no app. A form uses a source through
:class:`PickerField`:

* a small set (at most :data:`SMALL_SET` options) renders as a
  ``<select data-gt-autocomplete>``, which the browser script turns into a
  search box;
* a large one renders as a text input with ``data-gt-autocomplete-url``, the
  address of :func:`picker_search`, and a hidden input
  (``<name>-value``) where the script puts the chosen option's value.

Without JavaScript both still work: the select is a select, and the text input
takes the record's ID typed by hand, which the field looks up on the server
and refuses with a clear message when there is no such record.

The search endpoint answers ``[{"value": ..., "label": ...}]``, at most
:data:`LIMIT` options, only ever from the organisation in the address.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import JsonResponse
from django.urls import reverse

from goldenthread.accounts.models import Organisation
from goldenthread.accounts.tenancy import OrgRequest, org_view, query_id

from .registry import Registry

__all__ = [
    "LIMIT",
    "NO_SUCH",
    "NO_SUCH_SOURCE",
    "PICKERS",
    "SMALL_SET",
    "Option",
    "PickerField",
    "PickerSearchInput",
    "PickerSelect",
    "PickerSource",
    "picker_search",
    "records_source",
]

#: The most options one search answers: enough to find a record by a few letters,
#: few enough that a page of 50,000 posts answers at once.
LIMIT = 20
#: Up to this many options a picker is a select; above it, a search on the server.
SMALL_SET = 200
NO_SUCH = "There is no {noun} {value!r}: {hint}"
NO_SUCH_SOURCE = "There is no picker called {key!r}"
ENTER_VALUE = "Choose {noun}"


@dataclass(frozen=True)
class Option:
    """One choice: the value the form submits and the words the user sees."""

    value: str
    label: str
    #: The record itself, for a field that returns records rather than values.
    record: Any = None

    def as_json(self) -> dict[str, str]:
        return {"value": self.value, "label": self.label}


@dataclass(frozen=True)
class PickerSource:
    """Where a picker's options come from, for one organisation (and a scope, such as a snapshot).

    ``options(organisation, scope, query, limit)`` answers the options that
    match ``query`` (all of them, to ``limit``, when it is empty);
    ``find(organisation, scope, value)`` answers the option whose value, ID or
    exact name is ``value``, or ``None``; ``count(organisation, scope)`` says
    how many options there are, so the field knows whether a select will do.
    """

    key: str
    #: What one option is, with its article: "a unit", "a post".
    noun: str
    options: Callable[[Organisation, str, str, int | None], Sequence[Option]]
    find: Callable[[Organisation, str, str], Option | None]
    count: Callable[[Organisation, str], int]
    #: What a typed value must be, for the error message: "a post ID in this snapshot".
    hint: str = "choose one from the list"

    def __post_init__(self) -> None:
        # A NUL character names no record, and PostgreSQL refuses it in a query: a
        # value or search holding one finds nothing, whichever app's source it is.
        find, options = self.find, self.options

        def found(organisation: Organisation, scope: str, value: str) -> Option | None:
            if "\x00" in scope or "\x00" in value:
                return None
            return find(organisation, scope, value)

        def matching(
            organisation: Organisation, scope: str, query: str, limit: int | None
        ) -> Sequence[Option]:
            if "\x00" in scope or "\x00" in query:
                return []
            return options(organisation, scope, query, limit)

        count = self.count

        def counted(organisation: Organisation, scope: str) -> int:
            return 0 if "\x00" in scope else count(organisation, scope)

        object.__setattr__(self, "find", found)
        object.__setattr__(self, "options", matching)
        object.__setattr__(self, "count", counted)


#: Every app's picker sources, by key.
PICKERS: Registry[PickerSource] = Registry("pickers")


def search_url(organisation: Organisation, key: str, scope: str = "") -> str:
    url = reverse("pickers:search", kwargs={"org_slug": organisation.slug, "source": key})
    return f"{url}?scope={scope}" if scope else url


@org_view()
def picker_search(request: OrgRequest, source: str) -> JsonResponse:
    """The options of ``source`` matching ``?q=``, at most :data:`LIMIT`, as JSON."""
    if source not in PICKERS:
        return JsonResponse({"error": NO_SUCH_SOURCE.format(key=source)}, status=404)
    picker = PICKERS.get(source)
    query = request.GET.get("q", "").strip()[:200]
    scope = request.GET.get("scope", "").strip()
    organisation = request.organisation
    options = picker.options(organisation, scope, query, LIMIT)[:LIMIT]
    return JsonResponse([option.as_json() for option in options], safe=False)


class PickerSelect(forms.Select):
    """A select the browser script enhances into a search box."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__({"data-gt-autocomplete": "", **(attrs or {})}, choices)


class PickerSearchInput(forms.TextInput):
    """A text input searching on the server, with a hidden input for the chosen value.

    Without JavaScript the text input is the field: the typed ID is submitted
    under the field's own name. With it, the script puts the chosen option's
    value in the hidden input ``<name>-value``, which wins while the text
    input still shows that option's label (a different text typed afterwards
    is what the user means, so it wins then).
    """

    template_name = "kit/widgets/picker_search.html"

    def __init__(self, *, url: str, labels: Callable[[str], str], attrs: Any = None) -> None:
        super().__init__(attrs)
        self.url = url
        self.labels = labels

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        text = "" if value in (None, "") else str(value)
        shown = self.labels(text) if text else ""
        context = super().get_context(name, shown or text, attrs)
        widget = context["widget"]
        widget["attrs"]["data-gt-autocomplete-url"] = self.url
        widget["attrs"]["autocomplete"] = "off"
        widget["value_name"] = f"{name}-value"
        widget["value_id"] = f"{widget['attrs'].get('id', name)}-value"
        widget["attrs"]["data-gt-autocomplete-value"] = widget["value_id"]
        # Only a value that names a record is kept as chosen.
        widget["chosen"] = text if shown else ""
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        chosen = (data.get(f"{name}-value") or "").strip()
        typed = (data.get(name) or "").strip()
        if chosen and (not typed or typed == self.labels(chosen)):
            return chosen
        return typed


class PickerField(forms.Field):
    """A form field choosing one option of a registered picker source.

    It cleans to the option's value (a string), or with ``records=True`` to
    the record itself. A typed value is looked up with the source's ``find``,
    so a post ID or a unit code typed by hand is accepted.
    """

    def __init__(
        self,
        *,
        source: str,
        organisation: Organisation,
        scope: str = "",
        records: bool = False,
        empty_label: str = "",
        small_set: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.source = PICKERS.get(source)
        self.organisation = organisation
        self.scope = str(scope or "")
        self.records = records
        kwargs.setdefault("error_messages", {"required": ENTER_VALUE.format(noun=self.source.noun)})
        count = self.source.count(organisation, self.scope)
        if 0 < count <= (SMALL_SET if small_set is None else small_set):
            options = self.source.options(organisation, self.scope, "", None)
            first = empty_label or f"Choose {self.source.noun}"
            widget: forms.Widget = PickerSelect(
                choices=[("", first), *((o.value, o.label) for o in options)]
            )
        else:
            widget = PickerSearchInput(
                url=search_url(organisation, self.source.key, self.scope), labels=self._label
            )
        super().__init__(widget=widget, **kwargs)

    def _label(self, value: str) -> str:
        """The label of the option ``value`` names, or "" when it names none."""
        option = self.source.find(self.organisation, self.scope, value)
        return option.label if option is not None else ""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Option):
            return value.value
        if hasattr(value, "pk") and not isinstance(value, str):
            return str(value.pk)
        return value

    def clean(self, value: Any) -> Any:
        text = "" if value is None else str(value).strip()
        if not text:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None if self.records else ""
        option = self.source.find(self.organisation, self.scope, text)
        if option is None:
            raise forms.ValidationError(
                NO_SUCH.format(
                    noun=self.source.noun.split(" ", 1)[-1], value=text, hint=self.source.hint
                ),
                code="invalid_choice",
            )
        return option.record if self.records else option.value


def records_source(
    *,
    key: str,
    noun: str,
    records: Callable[[Organisation], Any],
    search: str = "name",
    hint: str = "choose one from the list",
) -> PickerSource:
    """A picker over the records ``records(organisation)`` gives (a QuerySet), by ``search``.

    Each option is the record's ID and its text; a search keeps the records
    whose ``search`` field holds every word typed; a typed value is found by
    ID or by the whole of that field (when only one record has it).
    """

    def option(record: Any) -> Option:
        return Option(str(record.pk), str(getattr(record, search)), record)

    def options(
        organisation: Organisation, scope: str, query: str, limit: int | None
    ) -> list[Option]:
        rows = records(organisation)
        for word in query.split():
            rows = rows.filter(**{f"{search}__icontains": word})
        return [option(record) for record in (rows[:limit] if limit else rows)]

    def find(organisation: Organisation, scope: str, value: str) -> Option | None:
        rows, text = records(organisation), value.strip()
        pk = query_id(text)
        if pk is not None:
            found = rows.filter(pk=pk).first()
            if found is not None:
                return option(found)
        named = list(rows.filter(**{f"{search}__iexact": text})[:2])
        return option(named[0]) if len(named) == 1 else None

    return PickerSource(
        key=key,
        noun=noun,
        options=options,
        find=find,
        count=lambda organisation, scope: records(organisation).count(),
        hint=hint,
    )

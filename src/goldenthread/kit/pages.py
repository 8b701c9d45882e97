"""Pages every register needs, built once.

A view stays thin: it validates with a form, calls one service or selector,
and hands the result to one of these.

* :func:`get_or_404` fetches a record through an organisation-scoped selector
  and answers 404 when the organisation has no such record.
* :func:`form_page` shows a form and, on a valid POST, calls the service,
  shows the success banner and redirects.
* :func:`confirm_page` asks before an action, listing its consequences.
* :func:`download` answers a file with a name that says what and when.
* :func:`org_url` reverses a URL inside the current organisation.

Breadcrumbs are a list of ``(label, href)`` pairs given to the template as
``crumbs``; the last one, the page itself, has an empty ``href``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify

from goldenthread.accounts.forms import apply_service_error
from goldenthread.accounts.services import ServiceError
from goldenthread.accounts.tenancy import NOT_FOUND, OrgRequest, get_or_404
from goldenthread.accounts.versions import EditOutcome, edit_context, edit_save

__all__ = [
    "NOT_FOUND",
    "Crumbs",
    "bound",
    "bound_files",
    "confirm_page",
    "download",
    "download_name",
    "form_page",
    "get_or_404",
    "org_url",
    "success",
]


#: Breadcrumbs after the organisation's own: ``(label, href)``, the page itself last with "".
Crumbs = Sequence[tuple[str, str]]

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
}


def org_url(request: OrgRequest, name: str, **kwargs: Any) -> str:
    """``reverse(name)`` inside the organisation of this request."""
    return reverse(name, kwargs={"org_slug": request.organisation.slug, **kwargs})


def bound(request: HttpRequest) -> Any:
    """The POST data to bind a form to, or ``None`` to show it unbound."""
    return request.POST if request.method == "POST" else None


def bound_files(request: HttpRequest) -> tuple[Any, ...]:
    """``(data, files)`` to bind an upload form to, or nothing to show it unbound."""
    return (request.POST, request.FILES) if request.method == "POST" else ()


def success(request: HttpRequest, message: str) -> None:
    """Show ``message`` in the success banner of the next page."""
    messages.success(request, message)


def form_page(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    *,
    done: Callable[[Any], str],
    message: Callable[[Any], str],
    title: str,
    crumbs: Crumbs = (),
    cancel_url: str = "",
    button: str = "Save",
    intro: str = "",
    caption: str = "",
    locked: str = "",
    template: str = "kit/form.html",
    context: dict[str, Any] | None = None,
    record: models.Model | None = None,
) -> HttpResponse:
    """Show ``form``; on a valid POST call ``save(cleaned_data)`` and redirect to ``done(result)``.

    A :class:`ServiceError` from ``save`` is shown on the field it names (or
    on the form) and nothing is saved. ``locked`` explains why the record
    cannot be changed and replaces the form with it.

    ``record`` is the record an edit page changes, its ``form`` initial
    values read from it: the form carries the version it was read at, and a
    save after someone else's is refused, naming them, with the values they
    saved beside the ones typed (:mod:`goldenthread.accounts.versions`).
    """
    outcome = None
    if request.method == "POST" and not locked:
        if record is not None:
            outcome = edit_save(request, form, record, save)
        elif form.is_valid():
            try:
                with transaction.atomic():
                    outcome = EditOutcome(saved=True, result=save(form.cleaned_data))
            except ServiceError as error:
                apply_service_error(form, error)
        if outcome is not None and outcome.saved:
            success(request, message(outcome.result))
            return redirect(done(outcome.result))
    page = {
        **(edit_context(request, form, record, outcome) if record is not None else {}),
        "form": form,
        "title": title,
        "crumbs": list(crumbs),
        "cancel_url": cancel_url,
        "button": button,
        "intro": intro,
        "caption": caption,
        "locked": locked,
        **(context or {}),
    }
    return render(request, template, page)


def confirm_page(
    request: HttpRequest,
    act: Callable[[], Any],
    *,
    done: str | Callable[[Any], str],
    message: str | Callable[[Any], str],
    title: str,
    crumbs: Crumbs = (),
    cancel_url: str = "",
    cancel_label: str = "Cancel",
    button: str = "Confirm",
    intro: str = "",
    consequences: Sequence[str] = (),
    warning: bool = False,
    template: str = "kit/confirm.html",
    context: dict[str, Any] | None = None,
    refused: str = "",
) -> HttpResponse:
    """Ask before ``act()``, listing its ``consequences``; on POST act and redirect to ``done``.

    ``done`` and ``message`` may be functions of what ``act()`` returned, for
    an action that makes a record (a copy) the next page shows.

    ``refused`` says why the action cannot be done, as the service would
    refuse it: the page shows it and offers no button, and a POST does nothing.
    """
    error = refused or None
    if request.method == "POST" and not refused:
        try:
            result = act()
        except ServiceError as failed:
            error = failed.message
        else:
            success(request, message(result) if callable(message) else message)
            return redirect(done(result) if callable(done) else done)
    page = {
        "error": error,
        "title": title,
        "crumbs": list(crumbs),
        "cancel_url": cancel_url,
        "cancel_label": cancel_label,
        "button": button,
        "intro": intro,
        "consequences": list(consequences),
        "warning": warning,
        "refused": refused,
        **(context or {}),
    }
    return render(request, template, page)


#: Characters of the "what" part of a download's name; the whole name stays
#: well inside every file system's limit.
WHAT_MAX_LENGTH = 120


def download_name(organisation: Any, what: str, as_of: dt.date | None, fmt: str) -> str:
    """A safe file name that says whose, what and when: ``brackenford-posts-2026-03-31.xlsx``.

    >>> class Org: name = "Brackenford Borough Council"; slug = "brackenford"
    >>> download_name(Org(), "Posts in As-is 2026", dt.date(2026, 3, 31), "xlsx")
    'brackenford-posts-in-as-is-2026-2026-03-31.xlsx'
    >>> download_name(Org(), "../../etc/passwd", None, "csv")
    'brackenford-etcpasswd.csv'
    >>> name = download_name(Org(), "x" * 300, dt.date(2026, 3, 31), "csv")
    >>> len(name), name.endswith("-2026-03-31.csv")
    (147, True)
    """
    # A long "what" is shortened, never the date: the name always says when.
    parts = [slugify(organisation.slug)[:50], slugify(what)[:WHAT_MAX_LENGTH].strip("-")]
    if as_of is not None:
        parts.append(as_of.isoformat())
    stem = "-".join(part for part in parts if part)
    return f"{stem}.{slugify(fmt)}"


def download(
    data: bytes | str,
    *,
    organisation: Any,
    what: str,
    fmt: str,
    as_of: dt.date | None = None,
    content_type: str | None = None,
) -> HttpResponse:
    """Answer ``data`` as an attachment named by :func:`download_name`."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    response = HttpResponse(data, content_type=content_type or CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{download_name(organisation, what, as_of, fmt)}"'
    )
    return response

"""Request checks that hold for every page."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

NULL_IN_ADDRESS = "The address holds a null character, which no page takes."


class RefuseNullCharactersMiddleware:
    """Answer 400 to an address (path or query string) holding a null character.

    No page reads one, and PostgreSQL refuses to compare text with it: a
    search, a filter or a text URL argument given ``%00`` would otherwise fail
    as a server error. Form fields already refuse it in posted data (Django's
    ``CharField``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            raise BadRequest(NULL_IN_ADDRESS)
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise BadRequest(NULL_IN_ADDRESS)
        return self.get_response(request)

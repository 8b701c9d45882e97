"""The guide's pages: public, read-only, no organisation."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from .content import INDEX, image_path, page_get

NO_SUCH_PAGE = "The guide has no page called {name}"
NO_SUCH_IMAGE = "The guide has no image called {name}"
#: Images change only with a new release; a day keeps them fresh enough.
IMAGE_MAX_AGE_SECONDS = 24 * 60 * 60


def _page(request: HttpRequest, name: str) -> HttpResponse:
    page = page_get(name)
    if page is None:
        raise Http404(NO_SUCH_PAGE.format(name=name))
    return render(request, "web/guide/page.html", {"page": page, "is_index": name == INDEX})


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return _page(request, INDEX)


@require_safe
def page(request: HttpRequest, page: str) -> HttpResponse:
    if page == INDEX:
        raise Http404(NO_SUCH_PAGE.format(name=page))
    return _page(request, page)


@require_safe
def image(request: HttpRequest, name: str) -> FileResponse:
    path = image_path(name)
    if path is None:
        raise Http404(NO_SUCH_IMAGE.format(name=name))
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    response = FileResponse(path.open("rb"), content_type=content_type)
    patch_cache_control(response, public=True, max_age=IMAGE_MAX_AGE_SECONDS)
    return response

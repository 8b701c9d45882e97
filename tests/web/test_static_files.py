"""The static files pipeline the demo and production use: hashed names, compressed, cached long.

The test settings serve static files straight from the app folders, so these
tests collect them once, as `goldenthread serve` does, into a temporary
STATIC_ROOT with the storage of the other settings.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
#: WhiteNoise's cache lifetime for a file whose name holds its hash: ten years.
FOREVER = "max-age=315360000, public, immutable"
HASHED = re.compile(r"\.[0-9a-f]{12}\.\w+$")


class AssetLinks(HTMLParser):
    """The stylesheets and scripts a page loads, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.stylesheets.append(attributes["href"] or "")
        elif tag == "script" and attributes.get("src"):
            self.scripts.append(attributes["src"] or "")


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("static")
    with override_settings(
        STATIC_ROOT=root,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": MANIFEST_STORAGE},
        },
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def test_every_built_file_gets_a_hashed_name_and_a_gzip_copy(collected: Path) -> None:
    paths = json.loads((collected / "staticfiles.json").read_text())["paths"]
    for name in (
        "build/goldenthread.css",
        "build/goldenthread.js",
        "build/orgchart.js",
        "build/plotly.min.js",
        "build/htmx.min.js",
        "build/assets/images/favicon.ico",
        "web/js-enabled.js",
        "structure/charts.js",
    ):
        hashed = paths[name]
        assert HASHED.search(hashed), hashed
        assert (collected / hashed).exists()
        if not name.endswith(".ico"):
            assert (collected / f"{hashed}.gz").exists(), f"{hashed} has no gzip copy"


def test_the_stylesheet_refers_to_images_by_their_hashed_names(collected: Path) -> None:
    paths = json.loads((collected / "staticfiles.json").read_text())["paths"]
    css = (collected / paths["build/goldenthread.css"]).read_text()
    references = re.findall(r"url\(\"?([^\")]+)\"?\)", css)
    images = [ref for ref in references if not ref.startswith("data:")]
    # GOV.UK's crest, MoJ's filter and timeline icons at least.
    assert len(images) >= 3
    for ref in images:
        assert HASHED.search(ref.split("#")[0]), ref
        assert (collected / "build" / ref.split("#")[0]).exists(), ref


@pytest.mark.django_db
def test_pages_load_hashed_assets_served_compressed_and_cached_for_ever(
    collected: Path,
) -> None:
    with override_settings(
        STATIC_ROOT=collected,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": MANIFEST_STORAGE},
        },
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        client = Client()
        page = AssetLinks()
        page.feed(client.get("/sign-in/").content.decode())
        urls = [*page.stylesheets, *page.scripts]
        assert len(page.stylesheets) == 1
        assert any("/build/goldenthread." in url and url.endswith(".js") for url in urls)
        for url in urls:
            assert HASHED.search(url), url
            response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
            assert response.status_code == 200, url
            assert response.headers["Cache-Control"] == FOREVER
            assert response.headers["Content-Encoding"] == "gzip", url


PLAIN_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"
PRODUCTION = {
    "GOLDENTHREAD_SECRET_KEY": "k3y-" + "q8Zr1vX0pL5mN7tB2cD4fG6hJ9" * 3,
    "GOLDENTHREAD_ALLOWED_HOSTS": "tom.example.gov.uk",
}


@pytest.mark.parametrize(
    ("module", "extra", "backend", "collects"),
    [
        ("production", PRODUCTION, MANIFEST_STORAGE, True),
        ("local", {}, MANIFEST_STORAGE, True),
        # Developing: files straight from the app folders, edits show at once.
        ("local", {"GOLDENTHREAD_DEBUG": "1"}, PLAIN_STORAGE, False),
        ("test", {}, PLAIN_STORAGE, False),
    ],
)
def test_each_environment_chooses_its_static_files_storage(
    tmp_path: Path, module: str, extra: dict[str, str], backend: str, collects: bool
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOLDENTHREAD_", "DJANGO_"))}
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.STORAGES['staticfiles']['BACKEND'], bool(settings.STATIC_ROOT))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": f"goldenthread.web.settings.{module}",
            "GOLDENTHREAD_VAR_DIR": str(tmp_path),
            **extra,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [backend, str(collects)]

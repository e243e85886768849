import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from PIL import Image

from ccx.practices.images import attach_image
from ccx.practices.services import update_practice
from ccx.publications import builds
from ccx.publications.models import Build, BuildStatus
from tests.conftest import Personas
from tests.publications.factories import CHINESE_TITLE, book_practice, make_publication
from tests.publications.tools import epubcheck, epubcheck_command

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


def photo(colour: tuple[int, int, int] = (180, 90, 40)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), colour).save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def publication(personas: Personas) -> Any:
    with_image = book_practice(personas.secretariat_user, personas.city_a, "Masks from the theatre workshops")
    attach_image(with_image, photo(), "Two tailors sewing masks", "The theatre's workshop", "City of Ashgabat")
    other = book_practice(
        personas.secretariat_user,
        personas.city_b,
        "Kitchens that fed nurses",
        description="See [the report](https://example.org/report) and [this](https://a.example/x<div>https://b.example/y).",
    )
    publication, _chapter = make_publication(personas.secretariat_user, [with_image, other])
    return publication


def test_a_build_makes_versioned_files_and_reports_progress(personas: Personas, publication: Any) -> None:
    seen: list[tuple[int, int]] = []
    build = builds.create_build(publication, "en", ["epub"])
    build = builds.run_build(build.pk, lambda done, total, label="": seen.append((done, total)))
    assert build.status == BuildStatus.DONE
    assert build.version == 1
    assert build.epub_file.name == f"publications/{publication.slug}/{publication.slug}-en-v1.epub"
    assert not build.pdf_file
    assert seen[0] == (0, 4)
    assert seen[-1] == (4, 4)
    assert (build.progress_done, build.progress_total, build.percent) == (4, 4, 100)
    second = builds.run_build(builds.create_build(publication, "en", ["epub"]).pk)
    assert second.version == 2
    assert second.epub_file.name.endswith("-en-v2.epub")
    assert Path(build.epub_file.path).exists()  # earlier versions stay downloadable


def test_the_epub_has_navigation_cover_metadata_and_alt_texts(personas: Personas, publication: Any) -> None:
    build = builds.run_build(builds.create_build(publication, "zh-hans", ["epub"]).pk)
    with zipfile.ZipFile(build.epub_file.path) as book:
        names = book.namelist()
        opf = book.read("EPUB/content.opf").decode()
        chapter = book.read("EPUB/chapter-1.xhtml").decode()
        nav = book.read("EPUB/nav.xhtml").decode()
    assert names[0] == "mimetype"
    assert f"<dc:title>{CHINESE_TITLE}</dc:title>" in opf
    assert "<dc:language>zh-Hans</dc:language>" in opf
    assert 'properties="cover-image"' in opf
    assert "Ana Editor" in opf
    assert "Masks from the theatre workshops" in nav
    assert 'alt="Two tailors sewing masks"' in chapter
    assert 'alt="地图：Ashgabat"' in chapter  # the map's alt text in the edition's language
    assert "https://a.example/x" not in chapter.split("Kitchens")[1].split("href=")[0]  # broken link kept as text
    assert 'href="https://example.org/report"' in chapter
    assert "lang-mark" in chapter  # English texts marked in the Chinese edition


@pytest.mark.parametrize("language", ["en", "fr", "zh-hans"])
def test_epubcheck_reports_no_error_for_each_edition(personas: Personas, publication: Any, language: str) -> None:
    if epubcheck_command() is None:
        pytest.skip("epubcheck is not installed (make install-test-tools installs Debian's epubcheck)")
    build = builds.run_build(builds.create_build(publication, language, ["epub"]).pk)
    result = epubcheck(Path(build.epub_file.path))
    assert "Messages: 0 fatals / 0 errors" in result.stdout + result.stderr, result.stdout + result.stderr
    assert result.returncode == 0


def test_the_chinese_pdf_embeds_a_cjk_font_and_shows_the_chinese_title(
    personas: Personas, publication: Any, tmp_path: Path
) -> None:
    missing = [tool for tool in ("pdftotext", "pdffonts", "pdftoppm") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (make install-test-tools installs Debian's poppler-utils)")
    build = builds.run_build(builds.create_build(publication, "zh-hans", ["pdf"]).pk)
    pdf = Path(build.pdf_file.path)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    bundled = [line for line in fonts.splitlines() if "CCX-Book-Sans" in line]
    assert bundled, fonts
    assert all(re.search(r"\byes\s+yes\s+yes\b", line) for line in bundled)  # embedded, subset, unicode map
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "2", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert CHINESE_TITLE in text
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True)
    assert list(tmp_path.glob("page*.png"))
    contents = subprocess.run(["pdftotext", "-f", "3", "-l", "4", str(pdf), "-"], capture_output=True, text=True).stdout
    assert re.search(r"Masks from the theatre workshops[ .]+\d+", contents)  # table of contents with page numbers


def test_a_practice_changed_after_the_build_makes_it_out_of_date(personas: Personas, publication: Any) -> None:
    build = builds.run_build(builds.create_build(publication, "en", ["epub"]).pk)
    assert builds.is_out_of_date(publication, build) is False
    practice = publication.chapters.get().practices.get(title="Kitchens that fed nurses")
    update_practice(practice, personas.secretariat_user, {"tagline": "A new tagline"})
    assert builds.is_out_of_date(publication, build) is True
    assert list(builds.changed_practices(publication, build)) == [practice]


def test_a_failed_build_is_recorded_with_its_error(personas: Personas, publication: Any, monkeypatch: Any) -> None:
    from ccx.publications import rendering

    def broken(*args: Any) -> bytes:
        raise RuntimeError("the printer is on fire")

    monkeypatch.setattr(rendering, "render_epub", broken)
    build = builds.run_build(builds.create_build(publication, "en", ["epub"]).pk)
    assert (build.status, build.error, bool(build.epub_file)) == (
        BuildStatus.FAILED,
        "RuntimeError: the printer is on fire",
        False,
    )
    assert not personas.secretariat_user.notifications.filter(key__startswith="publication-build").exists()


def test_request_build_is_for_the_secretariat_and_runs_the_task(personas: Personas, publication: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        builds.request_build(publication, "en", personas.focal_a_user)
    build = builds.request_build(publication, "fr", personas.secretariat_user, ["epub"])
    assert (build.status, build.language, build.requested_by) == (BuildStatus.DONE, "fr", personas.secretariat_user)
    assert list(
        personas.secretariat_user.notifications.filter(key__startswith="publication-build").values_list(
            "key", flat=True
        )
    ) == [f"publication-build:{build.pk}"]


def test_bad_languages_and_formats_are_refused_before_anything_is_recorded(publication: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="no edition"):
        builds.create_build(publication, "xx")
    with pytest.raises(ValidationError, match="formats"):
        builds.create_build(publication, "en", ["docx"])
    assert Build.objects.count() == 0


def test_the_command_builds_with_a_progress_bar(publication: Any) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("build-publication", publication.slug, "--language", "fr", "--format", "epub", stdout=out, stderr=err)
    assert "Version 1 of the fr edition is ready" in out.getvalue()
    assert Build.objects.get().status == BuildStatus.DONE
    with pytest.raises(CommandError, match="No publication “nope”"):
        call_command("build-publication", "nope", stdout=out, stderr=err)

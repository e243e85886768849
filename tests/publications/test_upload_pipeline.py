"""Covers and speaker photos go through the practice image pipeline; the EPUB declares the cover's real type."""

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ccx.events.models import Speaker
from ccx.publications.editions import assemble_edition
from ccx.publications.models import Publication
from ccx.publications.rendering import render_epub
from tests.conftest import Personas
from tests.events.factories import make_event


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


def camera_jpeg(name: str = "cover.jpg") -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[0x0110] = "TestCam"  # camera model
    buffer = io.BytesIO()
    Image.new("RGB", (900, 1200), (20, 90, 120)).save(buffer, "JPEG", exif=exif.tobytes(), comment=b"secret note")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_a_jpeg_cover_is_re_encoded_without_metadata_and_declared_as_jpeg_in_the_epub(personas: Personas) -> None:
    data = {"title": "Creative answers", "licence": "CC-BY-SA-3.0-IGO", "cover_alt_text": "A blue cover"}
    response = personas.secretariat.post("/publications/new/", {**data, "cover": camera_jpeg()})
    assert response.status_code == 302
    publication = Publication.objects.get()
    stored = Path(publication.cover.path)
    assert stored.name != "cover.jpg"  # a server-made name
    content = stored.read_bytes()
    assert b"TestCam" not in content
    assert b"secret note" not in content
    with Image.open(stored) as image:
        assert (image.format, dict(image.getexif())) == ("JPEG", {})
    book = render_epub(assemble_edition(publication, "en", "epub"))
    with zipfile.ZipFile(io.BytesIO(book)) as epub:
        opf = epub.read("EPUB/content.opf").decode()
        cover_page = epub.read("EPUB/cover.xhtml").decode()
        assert epub.read("EPUB/images/cover.jpg")[:3] == b"\xff\xd8\xff"
    assert 'href="images/cover.jpg" id="cover-img" media-type="image/jpeg" properties="cover-image"' in opf
    assert "images/cover.png" not in opf
    assert 'src="images/cover.jpg"' in cover_page


def test_a_web_page_named_jpg_is_refused_as_a_speaker_photo(personas: Personas) -> None:
    event = make_event()
    event.organiser_users.set([personas.focal_b_user])
    fake = SimpleUploadedFile("me.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    response = personas.focal_b.post(
        f"/events/{event.slug}/speakers/new/", {"name": "Ana Speaker", "bio": "", "photo": fake}
    )
    assert response.status_code == 200
    assert not Speaker.objects.exists()


def test_a_speaker_photo_is_re_encoded(personas: Personas) -> None:
    event = make_event()
    event.organiser_users.set([personas.focal_b_user])
    response = personas.focal_b.post(
        f"/events/{event.slug}/speakers/new/", {"name": "Ana Speaker", "bio": "", "photo": camera_jpeg("me.jpg")}
    )
    assert response.status_code == 302
    assert b"TestCam" not in Path(Speaker.objects.get().photo.path).read_bytes()

"""Partnership documents: real type by content, no acting PDFs, private storage, server-made names, fixity."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from ccx.core.models import StoredFile
from ccx.partnerships.models import Partnership, PartnershipDocument
from tests.conftest import Personas
from tests.partnerships.factories import proposed


def pdf_bytes(action: str = "") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if action == "javascript":
        script = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("1")}
        )
        names = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("hello"), script])})
        writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): names})
    elif action == "open-action-js":
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
        )
    elif action == "launch":
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
        )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def partnership(personas: Personas, settings: object, tmp_path: Path) -> Partnership:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]
    return proposed(personas.focal_a_user, personas.city_a, personas.city_b)


def upload(personas: Personas, partnership: Partnership, name: str, content: bytes) -> str:
    response = personas.focal_a.post(
        f"/cooperation/partnerships/{partnership.slug}/documents/",
        {"title": "A document", "file": SimpleUploadedFile(name, content, content_type="application/pdf")},
        follow=True,
    )
    return response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.png", b"<html><script>alert(1)</script></html>", "This file is a web page or script"),
        ("notes.txt", b"<!DOCTYPE html><body onload=alert(1)>", "This file is a web page or script"),
        ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "web page or script"),
        ("run.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "This file is not one of the accepted types"),
        ("script.pdf", pdf_bytes("javascript"), "This PDF contains scripts or actions (JavaScript)"),
        ("open.pdf", pdf_bytes("open-action-js"), "This PDF contains scripts or actions (JavaScript)"),
        ("launch.pdf", pdf_bytes("launch"), "This PDF contains scripts or actions (Launch)"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog", "This PDF could not be read."),
    ],
)
def test_hostile_documents_are_refused(
    personas: Personas, partnership: Partnership, name: str, content: bytes, message: str
) -> None:
    assert message in upload(personas, partnership, name, content)
    assert not PartnershipDocument.objects.exists()


def test_a_document_is_named_by_the_server_from_its_content_and_kept_privately(
    personas: Personas, partnership: Partnership, settings: object
) -> None:
    upload(personas, partnership, "minutes.png", pdf_bytes())  # a PDF named .png
    document = PartnershipDocument.objects.get()
    stored = Path(document.file.name)
    assert (stored.parent.name, stored.suffix, len(stored.stem)) == ("partnerships", ".pdf", 32)
    assert (document.original_name, document.media_type, document.download_name) == (
        "minutes.png",
        "application/pdf",
        "minutes.pdf",
    )
    private_root = Path(settings.PRIVATE_ROOT)  # type: ignore[attr-defined]
    assert (private_root / document.file.name).exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))  # type: ignore[attr-defined]
    response = personas.focal_b.get(f"/cooperation/partnerships/{partnership.slug}/documents/{document.pk}/")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response["Content-Disposition"] == "attachment; filename*=UTF-8''minutes.pdf"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert b"".join(response.streaming_content) == pdf_bytes()  # type: ignore[attr-defined]


def test_plain_text_is_accepted(personas: Personas, partnership: Partnership) -> None:
    upload(personas, partnership, "notes.txt", "Notes of the call, in UTF-8: déjà vu.\n".encode())
    assert PartnershipDocument.objects.get().media_type == "text/plain"


def test_the_proxy_serves_documents_after_the_check(
    personas: Personas, partnership: Partnership, settings: object
) -> None:
    upload(personas, partnership, "mou.pdf", pdf_bytes())
    document = PartnershipDocument.objects.get()
    url = f"/cooperation/partnerships/{partnership.slug}/documents/{document.pk}/"
    settings.PRIVATE_FILES_SERVE = "x-accel-redirect"  # type: ignore[attr-defined]
    response = personas.focal_b.get(url)
    assert response["X-Accel-Redirect"] == f"/_private/{document.file.name}"
    assert response.content == b""
    assert personas.anonymous.get(url).status_code == 404
    settings.PRIVATE_FILES_SERVE = "x-sendfile"  # type: ignore[attr-defined]
    assert personas.focal_b.get(url)["X-Sendfile"] == str(Path(settings.PRIVATE_ROOT) / document.file.name)  # type: ignore[attr-defined]


def test_fixity_reports_missing_and_changed_files(personas: Personas, partnership: Partnership) -> None:
    upload(personas, partnership, "mou.pdf", pdf_bytes())
    upload(personas, partnership, "notes.txt", b"Plain notes.\n")
    first, second = PartnershipDocument.objects.order_by("pk")
    assert StoredFile.objects.filter(storage="private").count() == 2  # recorded at upload
    out = io.StringIO()
    call_command("fixity", stdout=out)
    assert out.getvalue().strip() == "Fixity check passed: 2 ok, 0 new, 0 missing, 0 changed."
    Path(first.file.path).unlink()
    Path(second.file.path).write_bytes(b"Tampered.\n")
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"Fixity check failed: 0 ok, 0 new, 1 missing, 1 changed\."):
        call_command("fixity", stdout=out)
    lines = sorted(out.getvalue().splitlines())
    assert lines[0].startswith(f"CHANGED  private:{second.file.name} recorded ")
    assert lines[1] == f"MISSING  private:{first.file.name}"

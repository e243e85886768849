"""What an uploaded file really is, read from its content (puremagic), never from its name.

`sniff` answers with one of the types a caller accepts, or raises `UnacceptableFile` with a sentence for
the uploader. The name's extension is not trusted: an HTML page renamed `.png` is an HTML page.
"""

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import puremagic
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileType:
    extension: str  # with its dot, as the server names the stored file
    media_type: str


PDF = FileType(".pdf", "application/pdf")
DOCX = FileType(".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileType(".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = FileType(".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")
ODT = FileType(".odt", "application/vnd.oasis.opendocument.text")
ODS = FileType(".ods", "application/vnd.oasis.opendocument.spreadsheet")
DOC = FileType(".doc", "application/msword")
PNG = FileType(".png", "image/png")
JPEG = FileType(".jpg", "image/jpeg")
TEXT = FileType(".txt", "text/plain")

# What puremagic names each type by (its extensions), mapped to the one way we store it.
_BY_EXTENSION = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".pptx": PPTX,
    ".odt": ODT,
    ".ods": ODS,
    ".doc": DOC,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".jfif": JPEG,
}
# Markup a browser would run: never accepted as a document, whatever its name.
_ACTIVE = {".html", ".htm", ".xhtml", ".svg", ".xml", ".js", ".swf", ".hta"}


class UnacceptableFile(ValueError):
    """The file is not of an accepted type; the message is for the uploader."""


def _candidates(stream: IO[bytes]) -> list[str]:
    """puremagic's guesses, best first. Office files are ZIP containers told apart by their members,
    which puremagic reads only from a file on disk."""
    stream.seek(0)
    with tempfile.NamedTemporaryFile(suffix=".upload") as copy:
        while chunk := stream.read(1024 * 1024):
            copy.write(chunk)
        copy.flush()
        try:
            matches = puremagic.magic_file(copy.name)
        except puremagic.PureError:
            matches = []
    stream.seek(0)
    return [match.extension.lower() for match in matches]


def _is_plain_text(stream: IO[bytes]) -> bool:
    stream.seek(0)
    head = stream.read(64 * 1024)
    stream.seek(0)
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    lowered = text.lstrip().lower()
    return "\x00" not in text and not lowered.startswith(("<", "%pdf", "{\\rtf"))


def sniff(stream: IO[bytes], accepted: set[FileType]) -> FileType:
    guesses = _candidates(stream)
    if guesses and guesses[0] in _ACTIVE:
        raise UnacceptableFile(_("This file is a web page or script, which cannot be shared here."))
    for guess in guesses:
        found = _BY_EXTENSION.get(guess)
        if found in accepted:
            return found
    if not guesses and TEXT in accepted and _is_plain_text(stream):
        return TEXT
    names = ", ".join(sorted(kind.extension.lstrip(".") for kind in accepted))
    raise UnacceptableFile(_("This file is not one of the accepted types (%(types)s).") % {"types": names})


def stored_name(folder: str, token: str, kind: FileType) -> str:
    """Server-made names: a random token and the extension of the type found, never the uploader's."""
    return str(Path(folder) / f"{token}{kind.extension}")

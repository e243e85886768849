"""PDFs that would act when opened (scripts, launching programs, submitting forms) are refused.

Every object reachable from the document's catalogue is visited with pypdf, so actions hidden in
compressed object streams are found too.
"""

from typing import IO, Any

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

# Keys whose mere presence means the document can act: scripts, additional actions (on open, on page
# view, on field change), embedded files and media, XFA forms.
ACTIVE_KEYS = {"/JavaScript", "/JS", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/XFA"}
# Action types that run something or send data elsewhere (a plain /GoTo, e.g. "open at page 2", is fine).
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/Rendition"}
MAX_OBJECTS = 200_000  # a hostile file may nest without end; a real document has far fewer


class ActivePdf(ValueError):
    """The PDF cannot be accepted; the message is for the uploader."""


def check_pdf(stream: IO[bytes]) -> None:
    stream.seek(0)
    try:
        reader = PdfReader(stream, strict=False)
        root: Any = reader.trailer["/Root"]
        found = _active_part(root)
    except (PdfReadError, KeyError, ValueError, TypeError, RecursionError) as error:
        raise ActivePdf(_("This PDF could not be read. Save it again as PDF and upload that copy.")) from error
    finally:
        stream.seek(0)
    if found:
        raise ActivePdf(
            _(
                "This PDF contains scripts or actions (%(what)s) that run when it is opened. "
                "Print it to a new PDF (which drops them) and upload that copy."
            )
            % {"what": found}
        )


def _active_part(root: Any) -> str:
    seen: set[tuple[int, int]] = set()
    pending = [root]
    visited = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(item, DictionaryObject):
            for name, value in item.items():
                if name in ACTIVE_KEYS:
                    return str(name).lstrip("/")
                if name == "/S" and isinstance(value, NameObject) and value in ACTIVE_ACTIONS:
                    return str(value).lstrip("/")
                pending.append(value)
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return ""

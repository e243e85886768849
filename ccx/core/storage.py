"""Private files (partnership documents): kept outside the public media path, served only by a view that
has checked who may see them.

On local disk the view streams the file, or hands it to the front proxy (`CCX_PRIVATE_FILES_SERVE`:
`x-accel-redirect` for nginx, `x-sendfile` for Apache) so that no Python process is tied up by a large
download. On S3-compatible storage (django-storages) the view redirects to a short-lived signed address.
"""

import os
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase


class PrivateFileSystemStorage(FileSystemStorage):
    """Local private storage under `CCX_PRIVATE_ROOT`, read when used (so tests can point it elsewhere)."""

    @property
    def base_location(self) -> str:
        return str(self._value_or_setting(self._location, settings.PRIVATE_ROOT))  # type: ignore[attr-defined]

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def private_storage() -> Storage:
    return storages["private"]


def is_private(field: FileField) -> bool:
    return getattr(field, "_storage_callable", None) is private_storage


def _attachment(response: HttpResponseBase, filename: str, media_type: str) -> HttpResponseBase:
    response["Content-Type"] = media_type or "application/octet-stream"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    # Even if a browser were to show it, the file runs nothing and loads nothing from the site's origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def serve_private(file: FieldFile, filename: str, media_type: str) -> HttpResponseBase:
    storage = file.storage
    if not isinstance(storage, FileSystemStorage):
        # Remote storage: a signed address valid for a few minutes (AWS_QUERYSTRING_EXPIRE).
        return HttpResponseRedirect(storage.url(file.name))
    mode = settings.PRIVATE_FILES_SERVE
    if mode == "x-accel-redirect":
        response: HttpResponseBase = HttpResponse()
        response["X-Accel-Redirect"] = settings.PRIVATE_FILES_ACCEL_PREFIX.rstrip("/") + "/" + quote(str(file.name))
        return _attachment(response, filename, media_type)
    if mode == "x-sendfile":
        response = HttpResponse()
        response["X-Sendfile"] = str(Path(storage.location) / str(file.name))
        return _attachment(response, filename, media_type)
    return _attachment(FileResponse(file.open("rb")), filename, media_type)

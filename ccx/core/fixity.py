"""Fixity: the SHA-256 of every uploaded file, recorded when it is stored and checked by `ccx fixity`."""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.core.files.storage import Storage
from django.db import models

from ccx.core.models import StoredFile
from ccx.core.storage import is_private

CHUNK = 1024 * 1024


def storage_alias(field: models.FileField) -> str:
    """The STORAGES alias a file field writes to: "private" for documents, "default" for public media."""
    return "private" if is_private(field) else "default"


def sha256_of(storage: Storage, name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    """Every file field of every model (images included): the one list that fixity and backups walk."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


def record_new_files(sender: type[models.Model], instance: models.Model, **_kwargs: object) -> None:
    """post_save: record the digest of each file this row names that has no record yet."""
    for field in sender._meta.get_fields():
        if not isinstance(field, models.FileField):
            continue
        file = getattr(instance, field.name)
        if not file:
            continue
        alias = storage_alias(field)
        if StoredFile.objects.filter(storage=alias, name=file.name).exists() or not file.storage.exists(file.name):
            continue
        digest, size = sha256_of(file.storage, file.name)
        StoredFile.objects.get_or_create(storage=alias, name=file.name, defaults={"sha256": digest, "size": size})


@dataclass(frozen=True)
class FixityResult:
    status: str  # "ok", "missing", "changed" or "new" (stored before fixity was recorded: recorded now)
    storage: str
    name: str
    detail: str = ""


def referenced_files() -> Iterator[tuple[str, Storage, str]]:
    seen: set[tuple[str, str]] = set()
    for model, field in file_fields():
        storage = field.storage
        alias = storage_alias(field)
        names = model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True)
        for name in names.iterator():
            if name and (alias, name) not in seen:
                seen.add((alias, name))
                yield alias, storage, name


def check_fixity(record_new: bool = True) -> Iterator[FixityResult]:
    recorded = {(f.storage, f.name): f for f in StoredFile.objects.all()}
    for alias, storage, name in referenced_files():
        record = recorded.get((alias, name))
        if not storage.exists(name):
            yield FixityResult("missing", alias, name)
            continue
        digest, size = sha256_of(storage, name)
        if record is None:
            if record_new:
                StoredFile.objects.create(storage=alias, name=name, sha256=digest, size=size)
            yield FixityResult("new", alias, name)
        elif record.sha256 != digest:
            yield FixityResult("changed", alias, name, f"recorded {record.sha256[:12]}…, now {digest[:12]}…")
        else:
            yield FixityResult("ok", alias, name)

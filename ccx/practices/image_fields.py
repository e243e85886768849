"""One pipeline for every uploaded picture: a model field whose form field (site forms and the admin alike)
runs the practice image checks, re-encodes the picture and so drops its metadata (camera, GPS, comments).

Use `CleanImageField` instead of `models.ImageField` for any new picture (covers, speaker photos…).
"""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import models

from ccx.practices.images import ImageRejected, prepare_image


class CleanImageFormField(forms.ImageField):
    def clean(self, data: Any, initial: Any = None) -> Any:
        value = super().clean(data, initial)
        if not isinstance(value, UploadedFile):
            return value  # unchanged, or cleared
        try:
            return prepare_image(value).main  # a fresh JPEG or PNG under a server-made name
        except ImageRejected as error:
            raise forms.ValidationError(error.message, code=error.code) from error


class CleanImageField(models.ImageField):
    def formfield(  # type: ignore[override]
        self, form_class: type[forms.Field] | None = None, **kwargs: Any
    ) -> forms.Field | None:
        return super().formfield(form_class=form_class or CleanImageFormField, **kwargs)

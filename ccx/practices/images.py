"""Images of practices: check what people upload, clean it, and store it with a thumbnail.

An upload is trusted for nothing: its name, extension and content type are ignored. The bytes are opened with
Pillow, and only JPEG (including the MPO variant some cameras write), PNG, WebP and GIF are accepted; for animated
files the first frame is used. What is stored is always a re-encoding of the pixels into a fresh image, so no
metadata survives: no EXIF (camera, date, GPS position), no XMP, no comments or text chunks, no ICC profile.

Colour: when the upload carries an ICC profile, its pixels are converted from that profile to sRGB (with
LittleCMS, through ``PIL.ImageCms``) and the profile is then dropped; browsers show untagged images as sRGB, so
colours stay right without shipping the profile (which can also identify the device). A profile that cannot be
read or applied is ignored and the pixels are taken as they are.

Files: the main image is JPEG (quality 85, optimised, progressive), or PNG when it has real transparency; its
longest side is at most ``MAX_SIDE`` pixels. The thumbnail is WebP (it keeps transparency), longest side at most
``THUMBNAIL_SIDE`` pixels. Stored names are random; the uploaded name is never used.
"""

import io
import logging
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from ccx.practices.models import Practice, PracticeImage

logger = logging.getLogger(__name__)

MAX_SIDE = 2400
THUMBNAIL_SIDE = 480
JPEG_QUALITY = 85
THUMBNAIL_QUALITY = 80

# What Pillow may try when opening an upload; every other decoder (BMP, TIFF, PSD, EPS…) stays out of reach.
OPEN_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
# Pillow opens multi-picture JPEGs (some phones and cameras) through the JPEG decoder as "MPO".
ACCEPTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP", "GIF"})

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


class ImageRejected(ValueError):
    """An upload or its descriptions cannot be accepted; ``str(error)`` is a message for the person uploading.

    ``code`` says why (for code that reacts to it) and ``field`` which form field the message belongs to:
    "image", "alt_text", "caption" or "credit".
    """

    def __init__(self, message: str, *, code: str, field: str = "image") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


@dataclass(frozen=True)
class PreparedImage:
    main: ContentFile[bytes]
    thumbnail: ContentFile[bytes]
    width: int
    height: int
    main_name: str
    thumbnail_name: str


_DECODING_LOCK = threading.Lock()


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return number_format(value, decimal_pos=0 if value.is_integer() else 1)


def _too_large() -> ImageRejected:
    message = _("This file is larger than %(limit)s MB. Please choose a smaller image.")
    return ImageRejected(message % {"limit": _megabytes(settings.MAX_IMAGE_BYTES)}, code="too_large")


def _not_an_image() -> ImageRejected:
    message = _("This file is not an image we can use. Please upload a JPEG, PNG, WebP or GIF image.")
    return ImageRejected(message, code="unsupported_type")


def _too_many_pixels() -> ImageRejected:
    message = _("This image has too many pixels to process. Please resize it and try again.")
    return ImageRejected(message, code="too_many_pixels")


def _damaged() -> ImageRejected:
    message = _("This image file is damaged or incomplete. Please export it again and retry.")
    return ImageRejected(message, code="damaged")


def _read_upload(upload: UploadedFile) -> bytes:
    limit: int = settings.MAX_IMAGE_BYTES
    if upload.size is not None and upload.size > limit:
        raise _too_large()
    upload.seek(0)
    data = upload.read(limit + 1)  # the declared size is not trusted either
    if len(data) > limit:
        raise _too_large()
    return bytes(data)


@contextmanager
def _strict_decoding() -> Iterator[None]:
    """Refuse truncated files while decoding an upload.

    WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES when it is imported (it prefers a partial
    picture in a PDF to none); an upload must be whole, so the flag is off while one is checked.
    """
    with _DECODING_LOCK:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _open(data: bytes) -> Image.Image:
    """The decoded first frame, after checking the real type, the pixel count and the file's integrity."""
    with _strict_decoding():
        return _decode(data)


def _decode(data: bytes) -> Image.Image:
    try:
        with Image.open(io.BytesIO(data), formats=OPEN_FORMATS) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise _not_an_image()
            _check_pixels(probe.size)
            probe.verify()
    except ImageRejected:
        raise
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except UnidentifiedImageError:
        raise _not_an_image() from None
    except Exception:  # whatever a decoder raises on bad input means the file is broken
        raise _damaged() from None

    # verify() leaves the image unusable: decode from a fresh start.
    try:
        image = Image.open(io.BytesIO(data), formats=OPEN_FORMATS)
        _check_pixels(image.size)
        if image.format in {"JPEG", "MPO"}:
            image.draft(None, (MAX_SIDE, MAX_SIDE))  # let the JPEG decoder scale down huge photos while decoding
        image.load()
    except ImageRejected:
        raise
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except Exception:
        raise _damaged() from None
    return image


def _check_pixels(size: tuple[int, int]) -> None:
    # Pillow only warns between MAX_IMAGE_PIXELS and twice that; refuse from the limit itself.
    limit = Image.MAX_IMAGE_PIXELS
    if size[0] <= 0 or size[1] <= 0:
        raise _damaged()
    if limit is not None and size[0] * size[1] > limit:
        raise _too_many_pixels()


def _has_transparency(image: Image.Image) -> bool:
    return image.mode in {"RGBA", "LA", "PA", "La", "RGBa"} or "transparency" in image.info


def _working_mode(image: Image.Image) -> Image.Image:
    """The image in L, RGB, RGBA or CMYK: the modes a colour profile can be applied to."""
    if image.mode in {"L", "RGB", "RGBA", "CMYK"} and "transparency" not in image.info:
        return image
    if image.mode.startswith("I"):  # 16-bit greyscale PNG: scale to 8 bits instead of clipping
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return image.convert("RGBA" if _has_transparency(image) else "RGB")


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    target = "RGBA" if image.mode == "RGBA" else "RGB"
    if icc_profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=target)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            logger.info("ignoring an ICC profile that cannot be applied")
        else:
            if converted is not None:
                return converted
    return image.convert(target) if image.mode != target else image


def _fresh(image: Image.Image) -> Image.Image:
    """The same pixels in a new image that carries nothing else: no info, no EXIF, no profile."""
    if image.mode == "RGBA" and image.getchannel("A").getextrema()[0] == 255:
        image = image.convert("RGB")  # an alpha channel that hides nothing
    return Image.frombytes(image.mode, image.size, image.tobytes())


def _encode(image: Image.Image, file_format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, file_format, **options)
    return buffer.getvalue()


def prepare_image(upload: UploadedFile) -> PreparedImage:
    """Check an upload and return the cleaned main image and thumbnail, ready to store.

    Raises ImageRejected when the file is too large, is not a JPEG, PNG, WebP or GIF image, has too many pixels
    (``PIL.Image.MAX_IMAGE_PIXELS``) or is damaged.
    """
    data = _read_upload(upload)
    source = _open(data)
    try:
        icc_profile = source.info.get("icc_profile")
        try:
            oriented = ImageOps.exif_transpose(source)
        except Exception:  # a broken EXIF block: keep the pixels as they are
            logger.info("ignoring an EXIF orientation that cannot be read")
            oriented = source.copy()
        working = _working_mode(oriented)
        working.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        clean = _fresh(_to_srgb(working, icc_profile if isinstance(icc_profile, bytes) else None))
    finally:
        source.close()

    stem = secrets.token_hex(16)
    if clean.mode == "RGBA":
        main_bytes, extension = _encode(clean, "PNG", optimize=True), "png"
    else:
        main_bytes = _encode(clean, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        extension = "jpg"
    small = clean.copy()
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    thumbnail_bytes = _encode(small, "WEBP", quality=THUMBNAIL_QUALITY, method=4)

    main_name, thumbnail_name = f"{stem}.{extension}", f"{secrets.token_hex(16)}.webp"
    return PreparedImage(
        main=ContentFile(main_bytes, name=main_name),
        thumbnail=ContentFile(thumbnail_bytes, name=thumbnail_name),
        width=clean.width,
        height=clean.height,
        main_name=main_name,
        thumbnail_name=thumbnail_name,
    )


def _clean_text(value: str | None, field: str, *, required: bool = False) -> str:
    text = (value or "").strip()
    limit: int | None = getattr(PracticeImage._meta.get_field(field), "max_length", None)
    if required and not text:
        raise ImageRejected(_("Describe the image for people who cannot see it."), code="required", field=field)
    if limit is not None and len(text) > limit:
        messages = {
            "alt_text": _("Keep the description to at most %(limit)d characters."),
            "caption": _("Keep the caption to at most %(limit)d characters."),
            "credit": _("Keep the credit to at most %(limit)d characters."),
        }
        raise ImageRejected(messages[field] % {"limit": limit}, code="too_long", field=field)
    return text


def _delete_files(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("could not delete the stored image file %s", name)


def attach_image(
    practice: Practice, upload: UploadedFile, alt_text: str, caption: str = "", credit: str = ""
) -> PracticeImage:
    """Check, clean and store an uploaded image as the practice's last image.

    Raises ImageRejected (nothing stored) when the texts or the file cannot be accepted. If the database write
    fails, the files already written to storage are deleted before the error is raised again.

    The image is decoded and re-encoded before the transaction starts, so that a slow upload never holds the
    database's write lock (SQLite runs in IMMEDIATE mode); the files and the row are then written in one
    transaction.
    """
    texts = {
        "alt_text": _clean_text(alt_text, "alt_text", required=True),
        "caption": _clean_text(caption, "caption"),
        "credit": _clean_text(credit, "credit"),
    }
    prepared = prepare_image(upload)

    image = PracticeImage(practice=practice, width=prepared.width, height=prepared.height, **texts)
    stored: list[tuple[Storage, str]] = []
    try:
        with transaction.atomic():
            # Lock the practice so that two uploads at once do not take the same position.
            Practice.objects.select_for_update().filter(pk=practice.pk).exists()
            last = practice.images.aggregate(last=Max("position"))["last"]
            image.position = 0 if last is None else last + 1
            image.image.save(prepared.main_name, prepared.main, save=False)
            stored.append((image.image.storage, image.image.name))
            image.thumbnail.save(prepared.thumbnail_name, prepared.thumbnail, save=False)
            stored.append((image.thumbnail.storage, image.thumbnail.name))
            image.width, image.height = prepared.width, prepared.height
            image.save()
    except BaseException:
        _delete_files(stored)
        raise
    return image


def remove_image(image: PracticeImage) -> None:
    """Delete the image's row and, once that is committed, both of its files."""
    files = [(field.storage, field.name) for field in (image.image, image.thumbnail) if field and field.name]
    with transaction.atomic():
        image.delete()
        transaction.on_commit(lambda: _delete_files(files), robust=True)

"""Image uploads: only real JPEG, PNG, WebP and GIF images get in, and what is stored carries no metadata."""

import io
import random
import re
from pathlib import Path

import pytest
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from PIL import ExifTags, Image, ImageCms, ImageFile, PngImagePlugin

from ccx.practices.images import ImageRejected, PreparedImage, attach_image, prepare_image, remove_image
from ccx.practices.models import Practice, PracticeImage

pytestmark = pytest.mark.django_db

NOT_AN_IMAGE = "This file is not an image we can use. Please upload a JPEG, PNG, WebP or GIF image."
DAMAGED = "This image file is damaged or incomplete. Please export it again and retry."
TOO_MANY_PIXELS = "This image has too many pixels to process. Please resize it and try again."
ALT_MISSING = "Describe the image for people who cannot see it."

RED, BLUE = (255, 0, 0), (0, 0, 255)
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>secret-xmp-place</rdf:Description></x:xmpmeta>'


# --- building test files in memory -------------------------------------------------------------------------------


def encode(image: Image.Image, file_format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, file_format, **options)
    return buffer.getvalue()


def upload(data: bytes, name: str = "holiday-at-home.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def spy_exif(orientation: int | None = None) -> Image.Exif:
    """EXIF naming the camera and where the photo was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.Base.Artist] = "Jane Doe"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 22.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (4.0, 53.0, 0.0)
    return exif


def two_colours(size: tuple[int, int] = (400, 200), mode: str = "RGB") -> Image.Image:
    """Left half red, right half blue."""
    image = Image.new(mode, size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    return image


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def photo_with_gps(orientation: int = 6) -> bytes:
    """A 400 by 200 JPEG stored sideways, with EXIF (camera, GPS, orientation), XMP, a comment and an ICC profile."""
    return encode(
        two_colours(),
        "JPEG",
        quality=95,
        exif=spy_exif(orientation),
        xmp=XMP,
        comment="taken at 12 Secret Street",
        icc_profile=srgb_profile(),
    )


def noise(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """Pixels that do not compress, for files of a known large size."""
    rng = random.Random(7)
    bands = len(mode)
    return Image.frombytes(mode, size, bytes(rng.getrandbits(8) for _ in range(size[0] * size[1] * bands)))


def png_with_alpha() -> bytes:
    image = two_colours((300, 200), "RGBA")
    image.paste((0, 0, 0, 0), (0, 0, 150, 200))  # the left half fully transparent
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Jane Doe")
    text.add_itxt("XML:com.adobe.xmp", XMP.decode())
    return encode(image, "PNG", pnginfo=text, exif=spy_exif())


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (120, 80), RED), Image.new("RGB", (120, 80), BLUE)]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


def transparent_gif() -> bytes:
    image = Image.new("P", (60, 40), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * (254 * 3))
    image.paste(0, (0, 0, 30, 40))
    return encode(image, "GIF", transparency=0)


def webp_with_exif() -> bytes:
    return encode(two_colours(), "WEBP", quality=90, exif=spy_exif(), xmp=XMP, icc_profile=srgb_profile())


def mpo_photo() -> bytes:
    """A multi-picture JPEG as some cameras write; Pillow reports it as MPO."""
    return encode(two_colours(), "MPO", save_all=True, append_images=[Image.new("RGB", (400, 200), BLUE)])


def cmyk_jpeg() -> bytes:
    return encode(Image.new("CMYK", (100, 50), (0, 255, 255, 0)), "JPEG", quality=95)


def grey_16_bit_png() -> bytes:
    return encode(Image.new("I;16", (64, 32), 0x8080), "PNG")


def truncated(data: bytes, keep: float = 0.6) -> bytes:
    return data[: int(len(data) * keep)]


def broken_png_crc() -> bytes:
    data = bytearray(encode(noise((64, 64)), "PNG"))
    position = data.index(b"IDAT") + 40
    data[position] ^= 0xFF  # damage the compressed pixels; the chunk's checksum no longer matches
    return bytes(data)


# --- checking what is stored -------------------------------------------------------------------------------------


@pytest.fixture
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root  # type: ignore[attr-defined]
    return root


@pytest.fixture
def practice() -> Practice:
    return Practice.objects.create(slug="t", title="T")


def stored_files(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def assert_no_metadata(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        assert len(exif) == 0
        assert len(exif.get_ifd(ExifTags.IFD.GPSInfo)) == 0
        assert set(image.info) & {"exif", "xmp", "icc_profile", "comment", "Author", "XML:com.adobe.xmp"} == set()
    for secret in (b"Exif\x00\x00", b"SpyCam", b"Jane Doe", b"secret-xmp-place", b"Secret Street", b"lcms"):
        assert secret not in data


def reopen(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def close_to(pixel: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))


# --- accepted uploads --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "main_format", "mode", "size"),
    [
        pytest.param(photo_with_gps(), "JPEG", "RGB", (200, 400), id="jpeg-with-exif-gps-xmp-icc"),
        pytest.param(png_with_alpha(), "PNG", "RGBA", (300, 200), id="png-with-alpha"),
        pytest.param(encode(two_colours(mode="RGBA"), "PNG"), "JPEG", "RGB", (400, 200), id="png-opaque-alpha"),
        pytest.param(animated_gif(), "JPEG", "RGB", (120, 80), id="animated-gif"),
        pytest.param(transparent_gif(), "PNG", "RGBA", (60, 40), id="gif-with-transparency"),
        pytest.param(webp_with_exif(), "JPEG", "RGB", (400, 200), id="webp-with-exif"),
        pytest.param(mpo_photo(), "JPEG", "RGB", (400, 200), id="mpo"),
        pytest.param(cmyk_jpeg(), "JPEG", "RGB", (100, 50), id="cmyk-jpeg"),
        pytest.param(grey_16_bit_png(), "JPEG", "RGB", (64, 32), id="16-bit-grey-png"),
    ],
)
def test_accepted_images_are_re_encoded_without_any_metadata(
    data: bytes, main_format: str, mode: str, size: tuple[int, int]
) -> None:
    prepared = prepare_image(upload(data))

    assert isinstance(prepared, PreparedImage)
    main, thumbnail = prepared.main.read(), prepared.thumbnail.read()
    image = reopen(main)
    assert (image.format, image.mode, image.size) == (main_format, mode, size)
    assert (prepared.width, prepared.height) == size
    assert prepared.main_name.endswith(".jpg" if main_format == "JPEG" else ".png")
    assert prepared.thumbnail_name.endswith(".webp")
    assert (prepared.main.name, prepared.thumbnail.name) == (prepared.main_name, prepared.thumbnail_name)
    assert_no_metadata(main)
    assert_no_metadata(thumbnail)
    small = reopen(thumbnail)
    assert small.format == "WEBP"
    assert max(small.size) <= 480
    if main_format == "JPEG":
        assert image.info.get("progressive") == 1


def test_the_source_photo_really_carries_the_metadata_that_must_go() -> None:
    with Image.open(io.BytesIO(photo_with_gps())) as source:
        exif = source.getexif()
        assert exif[ExifTags.Base.Orientation] == 6
        assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
        assert {"xmp", "comment", "icc_profile"} <= set(source.info)
    with Image.open(io.BytesIO(png_with_alpha())) as source:
        assert source.info["Author"] == "Jane Doe"
        assert len(source.getexif().get_ifd(ExifTags.IFD.GPSInfo)) == 4


@pytest.mark.parametrize(
    ("orientation", "size", "red_at", "blue_at"),
    [
        pytest.param(1, (400, 200), (50, 100), (350, 100), id="upright"),
        pytest.param(3, (400, 200), (350, 100), (50, 100), id="upside-down"),
        pytest.param(6, (200, 400), (100, 50), (100, 350), id="turned-right"),
        pytest.param(8, (200, 400), (100, 350), (100, 50), id="turned-left"),
    ],
)
def test_the_exif_orientation_is_applied_to_the_pixels(
    orientation: int, size: tuple[int, int], red_at: tuple[int, int], blue_at: tuple[int, int]
) -> None:
    prepared = prepare_image(upload(photo_with_gps(orientation)))

    for data in (prepared.main.read(), prepared.thumbnail.read()):  # both are small enough to keep their size
        image = reopen(data).convert("RGB")
        assert image.size == size
        assert close_to(image.getpixel(red_at), RED)  # type: ignore[arg-type]
        assert close_to(image.getpixel(blue_at), BLUE)  # type: ignore[arg-type]


def test_the_first_frame_of_an_animated_gif_is_kept() -> None:
    image = reopen(prepare_image(upload(animated_gif(), "anim.gif", "image/gif")).main.read())
    assert close_to(image.getpixel((60, 40)), RED)  # type: ignore[arg-type]


def test_transparency_survives_in_the_png_and_the_thumbnail() -> None:
    prepared = prepare_image(upload(png_with_alpha(), "logo.png", "image/png"))
    for data in (prepared.main.read(), prepared.thumbnail.read()):
        image = reopen(data)
        assert image.mode == "RGBA"
        assert image.getpixel((10, 10))[3] == 0  # type: ignore[index]
        assert image.getpixel((image.width - 10, 10))[3] == 255  # type: ignore[index]


def test_a_16_bit_grey_png_keeps_its_grey() -> None:
    image = reopen(prepare_image(upload(grey_16_bit_png(), "grey.png")).main.read())
    assert close_to(image.getpixel((10, 10)), (128, 128, 128), tolerance=3)  # type: ignore[arg-type]


def test_a_cmyk_jpeg_becomes_rgb() -> None:
    image = reopen(prepare_image(upload(cmyk_jpeg())).main.read())
    assert close_to(image.getpixel((50, 25)), RED, tolerance=60)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("size", "expected", "thumbnail"),
    [
        pytest.param((3000, 1000), (2400, 800), (480, 160), id="wide"),
        pytest.param((1000, 5000), (480, 2400), (96, 480), id="tall"),
        pytest.param((2400, 2400), (2400, 2400), (480, 480), id="at-the-limit"),
        pytest.param((300, 200), (300, 200), (300, 200), id="small-is-not-enlarged"),
    ],
)
def test_the_longest_side_is_capped(
    size: tuple[int, int], expected: tuple[int, int], thumbnail: tuple[int, int]
) -> None:
    prepared = prepare_image(upload(encode(two_colours(size), "JPEG")))
    assert reopen(prepared.main.read()).size == expected
    assert (prepared.width, prepared.height) == expected
    assert reopen(prepared.thumbnail.read()).size == thumbnail


def test_a_rotated_huge_photo_is_capped_after_rotation() -> None:
    prepared = prepare_image(upload(encode(two_colours((5000, 2500)), "JPEG", exif=spy_exif(6))))
    assert (prepared.width, prepared.height) == (1200, 2400)


def test_names_are_random_and_never_the_uploaded_name() -> None:
    names = set()
    for _ in range(3):
        prepared = prepare_image(upload(photo_with_gps(), "my-house-12-secret-street.jpg"))
        assert re.fullmatch(r"[0-9a-f]{32}\.jpg", prepared.main_name)
        assert re.fullmatch(r"[0-9a-f]{32}\.webp", prepared.thumbnail_name)
        names |= {prepared.main_name, prepared.thumbnail_name}
    assert len(names) == 6


def test_the_extension_and_content_type_do_not_matter() -> None:
    prepared = prepare_image(upload(encode(two_colours(), "PNG"), "document.pdf", "application/pdf"))
    assert reopen(prepared.main.read()).format == "JPEG"


# --- rejected uploads --------------------------------------------------------------------------------------------


def assert_rejected(practice: Practice, media: Path, file: SimpleUploadedFile, message: str, code: str) -> None:
    count, files = PracticeImage.objects.count(), stored_files(media)
    with pytest.raises(ImageRejected) as caught:
        attach_image(practice, file, alt_text="A festival crowd")
    assert str(caught.value) == message
    assert (caught.value.message, caught.value.code, caught.value.field) == (message, code, "image")
    assert PracticeImage.objects.count() == count
    assert stored_files(media) == files


@pytest.mark.parametrize(
    "file",
    [
        pytest.param(upload(b"This is not an image, just text.\n" * 20, "photo.jpg"), id="text-named-jpg"),
        pytest.param(upload(b"", "photo.jpg"), id="empty"),
        pytest.param(upload(b'<svg xmlns="http://www.w3.org/2000/svg"/>', "logo.png", "image/png"), id="svg"),
        pytest.param(upload(encode(two_colours(), "BMP"), "photo.jpg"), id="bmp-named-jpg"),
        pytest.param(upload(encode(two_colours(), "TIFF"), "photo.jpg"), id="tiff-named-jpg"),
        pytest.param(upload(b"\xff\xd8\xff", "photo.jpg"), id="jpeg-magic-only"),
    ],
)
def test_files_that_are_not_accepted_images_are_refused(
    practice: Practice, media: Path, file: SimpleUploadedFile
) -> None:
    assert_rejected(practice, media, file, NOT_AN_IMAGE, "unsupported_type")


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(truncated(encode(noise((300, 300)), "JPEG", quality=95)), id="truncated-jpeg"),
        pytest.param(truncated(encode(noise((300, 300)), "PNG")), id="truncated-png"),
        pytest.param(broken_png_crc(), id="png-bad-checksum"),
        pytest.param(truncated(encode(noise((300, 300)), "WEBP", quality=90)), id="truncated-webp"),
        pytest.param(truncated(encode(noise((300, 300), "L"), "GIF"), 0.5), id="truncated-gif"),
    ],
)
def test_damaged_files_are_refused(practice: Practice, media: Path, data: bytes) -> None:
    assert_rejected(practice, media, upload(data), DAMAGED, "damaged")


@pytest.mark.parametrize(
    "size",
    [
        pytest.param((200, 200), id="over-twice-the-limit"),  # Pillow itself raises DecompressionBombError
        pytest.param((110, 100), id="just-over-the-limit"),  # Pillow only warns; refused all the same
    ],
)
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_decompression_bombs_are_refused(
    practice: Practice, media: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)
    for file_format in ("PNG", "JPEG", "GIF", "WEBP"):
        data = encode(Image.new("RGB", size, RED), file_format)
        assert_rejected(practice, media, upload(data), TOO_MANY_PIXELS, "too_many_pixels")


def test_a_file_at_the_pixel_limit_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)
    assert prepare_image(upload(encode(Image.new("RGB", (100, 100), RED), "PNG"))).width == 100


def test_files_over_the_size_limit_are_refused(
    practice: Practice, media: Path, settings: pytest.FixtureRequest
) -> None:
    settings.MAX_IMAGE_BYTES = 512 * 1024  # type: ignore[attr-defined]
    data = encode(noise((600, 600)), "PNG")
    assert len(data) > 512 * 1024
    message = "This file is larger than 0.5 MB. Please choose a smaller image."
    assert_rejected(practice, media, upload(data), message, "too_large")

    lying = upload(data)
    lying.size = 100  # a declared size is not trusted: the bytes are counted
    assert_rejected(practice, media, lying, message, "too_large")

    settings.MAX_IMAGE_BYTES = len(data)  # type: ignore[attr-defined]
    assert prepare_image(upload(data)).width == 600


def test_the_size_limit_is_stated_in_whole_megabytes(settings: pytest.FixtureRequest) -> None:
    settings.MAX_IMAGE_BYTES = 2 * 1024 * 1024  # type: ignore[attr-defined]
    with pytest.raises(ImageRejected, match=r"^This file is larger than 2 MB\. Please choose a smaller image\.$"):
        prepare_image(upload(b"x" * (2 * 1024 * 1024 + 1)))


# --- attaching, texts, failures and removal ----------------------------------------------------------------------


def test_attach_image_stores_the_clean_files_and_the_row(practice: Practice, media: Path) -> None:
    image = attach_image(
        practice,
        upload(photo_with_gps(), "my-house-12-secret-street.jpg"),
        alt_text="  Children painting a mural  ",
        caption="The mural on opening day",
        credit="City of T",
    )

    image.refresh_from_db()
    assert (image.alt_text, image.caption, image.credit) == (
        "Children painting a mural",
        "The mural on opening day",
        "City of T",
    )
    assert (image.width, image.height, image.position) == (200, 400, 0)
    assert re.fullmatch(rf"practices/{practice.pk}/[0-9a-f]{{32}}\.jpg", image.image.name)
    assert re.fullmatch(rf"practices/{practice.pk}/[0-9a-f]{{32}}\.webp", image.thumbnail.name)
    assert stored_files(media) == {image.image.name, image.thumbnail.name}
    assert "secret" not in image.image.name + image.thumbnail.name
    for field in (image.image, image.thumbnail):
        data = (media / field.name).read_bytes()
        assert_no_metadata(data)
    assert max(reopen((media / image.thumbnail.name).read_bytes()).size) <= 480


def test_images_are_appended_after_the_last_position(practice: Practice, media: Path) -> None:
    data = encode(two_colours(), "PNG")
    first = attach_image(practice, upload(data), "One")
    PracticeImage.objects.filter(pk=first.pk).update(position=5)
    second = attach_image(practice, upload(data), "Two")
    third = attach_image(practice, upload(data), "Three")
    assert (second.position, third.position) == (6, 7)
    other = attach_image(Practice.objects.create(slug="u", title="U"), upload(data), "Elsewhere")
    assert other.position == 0


@pytest.mark.parametrize(
    ("texts", "field", "message"),
    [
        pytest.param({"alt_text": ""}, "alt_text", ALT_MISSING, id="alt-missing"),
        pytest.param({"alt_text": "   \n "}, "alt_text", ALT_MISSING, id="alt-blank"),
        pytest.param(
            {"alt_text": "a" * 301}, "alt_text", "Keep the description to at most 300 characters.", id="alt-too-long"
        ),
        pytest.param(
            {"alt_text": "ok", "caption": "c" * 301},
            "caption",
            "Keep the caption to at most 300 characters.",
            id="caption-too-long",
        ),
        pytest.param(
            {"alt_text": "ok", "credit": "c" * 201},
            "credit",
            "Keep the credit to at most 200 characters.",
            id="credit-too-long",
        ),
    ],
)
def test_texts_are_checked_before_anything_is_stored(
    practice: Practice, media: Path, texts: dict[str, str], field: str, message: str
) -> None:
    with pytest.raises(ImageRejected) as caught:
        attach_image(practice, upload(photo_with_gps()), **texts)
    assert (str(caught.value), caught.value.field) == (message, field)
    assert PracticeImage.objects.count() == 0
    assert stored_files(media) == set()


def test_texts_at_their_limits_are_accepted(practice: Practice, media: Path) -> None:
    image = attach_image(practice, upload(photo_with_gps()), "a" * 300, caption="c" * 300, credit="d" * 200)
    assert (len(image.alt_text), len(image.caption), len(image.credit)) == (300, 300, 200)


def test_a_failed_database_write_leaves_no_file_behind(
    practice: Practice, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise DatabaseError("disk full")

    monkeypatch.setattr(PracticeImage, "save", fail)
    with pytest.raises(DatabaseError, match="disk full"):
        attach_image(practice, upload(photo_with_gps()), "A mural")
    assert PracticeImage.objects.count() == 0
    assert stored_files(media) == set()


def test_a_failed_thumbnail_write_removes_the_main_file(
    practice: Practice, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = FileSystemStorage.save

    def save_main_only(self: FileSystemStorage, name: str, content: File, max_length: int | None = None) -> str:
        if name.endswith(".webp"):
            raise OSError("no space left on device")
        return original(self, name, content, max_length)

    monkeypatch.setattr(FileSystemStorage, "save", save_main_only)
    with pytest.raises(OSError, match="no space left"):
        attach_image(practice, upload(photo_with_gps()), "A mural")
    assert PracticeImage.objects.count() == 0
    assert stored_files(media) == set()


def test_remove_image_deletes_the_row_and_both_files_once_committed(
    practice: Practice, media: Path, django_capture_on_commit_callbacks: object
) -> None:
    image = attach_image(practice, upload(photo_with_gps()), "A mural")
    keep = attach_image(practice, upload(png_with_alpha()), "A logo")
    assert len(stored_files(media)) == 4

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        remove_image(image)

    assert list(PracticeImage.objects.filter(practice=practice)) == [keep]
    assert stored_files(media) == {keep.image.name, keep.thumbnail.name}


def test_remove_image_keeps_the_files_when_the_transaction_is_rolled_back(
    practice: Practice, media: Path, django_capture_on_commit_callbacks: object
) -> None:
    image = attach_image(practice, upload(photo_with_gps()), "A mural")
    pk, files = image.pk, stored_files(media)

    def remove_then_roll_back() -> None:
        with transaction.atomic():
            remove_image(image)
            raise RuntimeError("changed my mind")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):  # type: ignore[operator]
        remove_then_roll_back()

    assert PracticeImage.objects.filter(pk=pk).exists()
    assert stored_files(media) == files


def test_truncated_files_are_refused_after_weasyprint_relaxed_pillow(
    practice: Practice, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on for the whole process when it is imported."""
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    assert_rejected(
        practice, media, upload(truncated(encode(noise((300, 300)), "JPEG", quality=95))), DAMAGED, "damaged"
    )
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # put back as it was

"""Time to build a 100-practice publication: EPUB and PDF of one edition, as `ccx build-publication` does.

Loads the real library into a scratch SQLite database (as `make run` does), makes a publication of 100
published practices in 5 chapters of 20 (every 5th practice with a 1200×800 photo, so 20 images), then times
each format separately and both together. Target: EPUB + PDF ≤ 30 s on the project's 2-core machine.

    CCX_DEBUG=true .venv/bin/python bench/publications_build.py [--language en|fr|zh-hans] [--practices 100]
"""

import argparse
import io
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import scratch_database_with_real_data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="en")
    parser.add_argument("--practices", type=int, default=100)
    arguments = parser.parse_args()
    scratch_database_with_real_data()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from ccx.accounts.models import User
    from ccx.practices.images import attach_image
    from ccx.practices.models import Practice
    from ccx.publications import services
    from ccx.publications.builds import create_build, run_build

    editor = User.objects.filter(is_staff=True).first()
    assert editor is not None
    practices = list(Practice.objects.published().order_by("pk")[: arguments.practices])
    for index, practice in enumerate(practices[::5]):
        buffer = io.BytesIO()
        Image.new("RGB", (1200, 800), (40 + index * 9 % 200, 90, 140)).save(buffer, "JPEG", quality=85)
        upload = SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")
        attach_image(practice, upload, f"Photo of {practice.title[:80]}", "A caption", "A photographer")
    publication = services.save_publication(editor, {"title": f"Benchmark book of {len(practices)} practices"})
    for number in range(5):
        chapter = services.save_chapter(editor, publication, {"title": f"Chapter {number + 1}"})
        services.add_practices(editor, chapter, [practice.pk for practice in practices[number * 20 : number * 20 + 20]])
    characters = sum(len(p.title) + len(p.summary) + len(p.description) + len(p.results) for p in practices)
    print(f"{len(practices)} practices, {characters:,} characters of text, 20 images, edition {arguments.language}")

    timings = {}
    for formats in (["epub"], ["pdf"], ["epub", "pdf"]):
        build = create_build(publication, arguments.language, formats)
        started = time.perf_counter()
        build = run_build(build.pk)
        timings["+".join(formats)] = time.perf_counter() - started
        assert build.status == "done", build.error
        sizes = ", ".join(
            f"{format} {build.file_for(format).size / 1e6:.1f} MB"  # type: ignore[union-attr]
            for format in formats
        )
        print(f"{'+'.join(formats):10} {timings['+'.join(formats)]:6.1f} s   ({sizes})")
    verdict = "OK" if timings["epub+pdf"] <= 30 else "TOO SLOW"
    print(f"EPUB + PDF in one build: {timings['epub+pdf']:.1f} s (target ≤ 30 s): {verdict}")


if __name__ == "__main__":
    main()

"""Reading what a build produced: its text (pdftotext) and epubcheck's verdict."""

import shutil
import subprocess
from pathlib import Path

import pytest

from ccx.publications.models import Build
from tests.publications.tools import epubcheck, epubcheck_command


def assert_valid_epub(build: Build) -> None:
    if epubcheck_command() is None:
        pytest.skip("epubcheck is not installed (make install-test-tools installs Debian's epubcheck)")
    result = epubcheck(Path(build.epub_file.path))
    assert result.returncode == 0, result.stdout + result.stderr


def pdf_text(build: Build) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed (make install-test-tools installs Debian's poppler-utils)")
    pdf = Path(build.pdf_file.path)
    assert pdf.read_bytes().startswith(b"%PDF-")
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout

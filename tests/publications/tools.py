"""Debian's checkers, when installed (`make install-test-tools`); tests that need one skip and say why."""

import shutil
import subprocess
from pathlib import Path

EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")


def epubcheck_command() -> list[str] | None:
    """Debian's /usr/bin/epubcheck is an executable jar that needs binfmt support; java -jar always works."""
    if EPUBCHECK_JAR.exists() and shutil.which("java"):
        return ["java", "-jar", str(EPUBCHECK_JAR)]
    if shutil.which("epubcheck"):
        return ["epubcheck"]
    return None


def epubcheck(path: Path) -> subprocess.CompletedProcess[str]:
    command = epubcheck_command()
    assert command is not None
    return subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=300, check=False)

"""What the load benchmarks share: a production-like environment, gunicorn servers, and wrk.

Prerequisites: Debian's `wrk` (`apt-get install -y wrk`); PostgreSQL and Redis only where a script says so.
"""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET = "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105 - scratch sites only


def production_env(scratch: Path, **extra: str) -> dict[str, str]:
    """The production settings (DEBUG off), with the database, media and static files under `scratch`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("CCX_") and key != "DATABASE_URL"}
    env |= {
        "CCX_SECRET_KEY": SECRET,
        "CCX_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CCX_VAR_DIR": str(scratch),
        "CCX_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "ccx.settings",
        # The throttles run (their cost is measured) but wrk, one address, must not be refused.
        "CCX_RATE_SEARCH": "10000000/m",
        "CCX_RATE_MATCHING": "10000000/m",
        "CCX_RATE_API_WRITES": "10000000/m",
    }
    return env | extra


def run(args: Sequence[str], env: dict[str, str], timeout: float | None = None) -> str:
    done = subprocess.run(args, env=env, check=False, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def ccx(env: dict[str, str], *args: str, timeout: float | None = None) -> str:
    return run([str(BIN / "ccx"), *args], env, timeout)


def prepare_site(env: dict[str, str], load_data: bool = True) -> None:
    """Static manifest, schema, and (load_data) the real data `make run` loads."""
    started = time.perf_counter()
    static = Path(env.get("CCX_STATIC_ROOT", Path(env["CCX_VAR_DIR"]) / "static"))
    manifest = static / "staticfiles.json"
    sources = (ROOT / "ccx" / "static").rglob("*")
    # A kept static folder is reused while no source file is newer (compressing everything takes minutes).
    if not manifest.exists() or any(path.stat().st_mtime > manifest.stat().st_mtime for path in sources):
        ccx(env, "collectstatic", "--noinput", "-v0", "--skip-checks")
    ccx(env, "migrate", "-v0")
    if load_data:
        ccx(env, "setup", "--no-progress")
    print(f"site ready (migrate + setup with the real data) in {time.perf_counter() - started:.0f} s", flush=True)


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def gunicorn(
    env: dict[str, str], port: int, *, workers: int = 2, app: str = "ccx.wsgi", extra: Sequence[str] = ()
) -> Server:
    """`gunicorn <app> -w <workers>` (sync workers) on 127.0.0.1:<port>, in its own process group."""
    command = [str(BIN / "gunicorn"), app, "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    process = subprocess.Popen(
        [*command, *extra], env=env, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL
    )  # stdout: the console e-mails of the scratch site
    return Server(process, f"http://127.0.0.1:{port}")


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def fetch(url: str, timeout: float = 30) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - local server
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Load(NamedTuple):
    requests_per_second: float
    p99_ms: float
    errors: int
    requests: int


def parse_wrk(output: str) -> Load:
    def number(pattern: str) -> float:
        match = re.search(pattern, output)
        return float(match.group(1)) if match else 0.0

    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    errors += int(number(r"Non-2xx or 3xx responses: (\d+)"))
    return Load(
        requests_per_second=number(r"Requests/sec:\s+([\d.]+)"),
        p99_ms=float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan"),
        errors=errors,
        requests=int(number(r"(\d+) requests in")),
    )


def wrk(url: str, *, connections: int = 32, seconds: int = 20, threads: int = 2, script: Path | None = None) -> Load:
    """wrk on one URL (or on the requests `script` makes), with its latency distribution."""
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s", "--latency"]
    if script is not None:
        command += ["-s", str(script)]
    output = run([*command, url], dict(os.environ), timeout=seconds + 60)
    return parse_wrk(output)


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its children (a gunicorn master and its workers), in MB."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        pending += [int(child) for child in children]
    return total / 2**20

"""Throughput of the public programme page and its iCal feed under load, measured with wrk.

Builds a scratch SQLite database with one event of 40 sessions (with speakers), starts the production server
(`gunicorn ccx.wsgi -w 2`, CCX_DEBUG off), runs wrk (32 connections, 20 s) on both addresses, prints
requests/s, p99 latency and errors, and stops the server. Target: ≥ 400 requests/s, p99 ≤ 100 ms, no errors.

    .venv/bin/python bench/events_programme.py [--duration 20] [--connections 32] [--port 8091]

Needs Debian's `wrk` (apt-get install wrk).
"""

import argparse
import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import BIN, ROOT, parse_wrk, wait_until_up

SESSIONS = 40

BUILD_PROGRAMME = """
from datetime import date, datetime, timedelta
from ccx.events.models import Event, Session, SessionSpeaker, Speaker
first = date.today() + timedelta(days=30)
event = Event.objects.create(
    slug="bench-summit", title="Benchmark Summit", kind="summit", theme="Forty sessions under load",
    starts_on=first, ends_on=first + timedelta(days=3), time_zone="Asia/Shanghai", in_person=True, online=True,
    venue_name="Shougang Park", is_published=True, registration_open=True,
)
speakers = [Speaker.objects.create(event=event, slug=f"speaker-{n}", name=f"Speaker {n}", position="Mayor")
            for n in range(20)]
for n in range(40):
    day, slot = divmod(n, 10)
    start = datetime.combine(first + timedelta(days=day), datetime.min.time(), tzinfo=event.zone)
    start += timedelta(hours=8 + slot)
    session = Session.objects.create(
        event=event, title=f"Session {n + 1}: creativity and the city", kind="panel", room=f"Hall {slot % 3 + 1}",
        description="A panel of mayors and experts.", starts_at=start, ends_at=start + timedelta(minutes=50),
        is_online=True, join_url="https://meet.example.org/secret",
    )
    SessionSpeaker.objects.create(session=session, speaker=speakers[n % 20], role="chair")
    SessionSpeaker.objects.create(session=session, speaker=speakers[(n + 7) % 20], role="speaker")
print(event.slug)
"""


def run(args: list[str], env: dict[str, str], **kwargs: object) -> str:
    return subprocess.run(args, env=env, check=True, capture_output=True, text=True, cwd=ROOT, **kwargs).stdout  # type: ignore[call-overload, no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8091)
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")

    scratch = Path(tempfile.mkdtemp(prefix="ccx-bench-events-"))
    atexit.register(shutil.rmtree, scratch, True)  # also when a step fails
    env = {key: value for key, value in os.environ.items() if not key.startswith("CCX_") and key != "DATABASE_URL"}
    env |= {
        "CCX_SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "CCX_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CCX_VAR_DIR": str(scratch),
        "CCX_LOG_LEVEL": "WARNING",
    }
    # The production settings, unchanged, except one empty file: the vendored leaflet.js names a source map
    # that is not shipped, which makes the production `collectstatic` (manifest storage) stop.
    missing = scratch / "missing-source-maps" / "ccx" / "vendor" / "leaflet"
    missing.mkdir(parents=True)
    (missing / "leaflet.js.map").write_text("{}")
    (scratch / "bench_settings.py").write_text(
        "from ccx.settings import *  # noqa: F403\n"
        f"STATICFILES_DIRS = [*STATICFILES_DIRS, {str(scratch / 'missing-source-maps')!r}]  # noqa: F405\n"
    )
    env |= {"DJANGO_SETTINGS_MODULE": "bench_settings", "PYTHONPATH": str(scratch)}
    ccx = str(BIN / "ccx")
    print(f"scratch database in {scratch}")
    run([ccx, "collectstatic", "--noinput", "-v0", "--skip-checks"], env)  # the URLs need the static manifest
    run([ccx, "migrate", "-v0"], env)
    slug = run([ccx, "shell", "-c", BUILD_PROGRAMME], env).strip().splitlines()[-1]
    base = f"http://127.0.0.1:{options.port}"
    urls = {
        "programme page": f"{base}/events/{slug}/programme/",
        "programme .ics": f"{base}/events/{slug}/programme.ics",
    }

    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "ccx.wsgi", "-w", str(options.workers), "-b", f"127.0.0.1:{options.port}",
         "--log-level", "warning"],
        env=env, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    results = {}
    try:
        for url in urls.values():
            wait_until_up(url)
            for _ in range(8):  # warm every worker's cache
                urllib.request.urlopen(url, timeout=5).read()  # noqa: S310 - local server
        for name, url in urls.items():
            output = run(
                ["wrk", "-t", str(options.threads), "-c", str(options.connections), "-d", f"{options.duration}s",
                 "--latency", url],
                env, timeout=options.duration + 60,
            )  # fmt: skip
            results[name] = parse_wrk(output)._asdict()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    print(
        f"\nwrk, {options.connections} connections, {options.duration} s, gunicorn -w {options.workers}, "
        f"{SESSIONS} sessions"
    )
    print(f"{'address':<16} {'requests/s':>11} {'p99 (ms)':>9} {'errors':>7} {'requests':>9}")
    ok = True
    for name, result in results.items():
        print(
            f"{name:<16} {result['requests_per_second']:>11.0f} {result['p99_ms']:>9.1f} {result['errors']:>7.0f} "
            f"{result['requests']:>9.0f}"
        )
        ok &= result["requests_per_second"] >= 400 and result["p99_ms"] <= 100 and result["errors"] == 0
    print("target (≥ 400 requests/s, p99 ≤ 100 ms, no errors):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()

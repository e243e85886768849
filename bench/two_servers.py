"""Scale-out on standard parts: two application servers against one PostgreSQL and one Redis, with a worker.

    .venv/bin/python bench/two_servers.py [--database ccx_h17_bench] [--redis redis://127.0.0.1:6379/8]
        [--ports 8190 8191] [--seconds 10] [--workers 2]

Prerequisites: PostgreSQL (the database is created when missing, then `ccx setup` loads the real data once),
Redis (the given database number is emptied first), Debian's `wrk` (`apt-get install -y wrk`).

What it does, as a production deployment would: server A and server B (`gunicorn ccx.wsgi --preload`, sync
workers, DEBUG off, CCX_CACHE_URL on Redis, CCX_TASK_WORKER=true) and one `ccx db_worker` embed and serve
the same library. Through server A a secretariat account creates, publishes and then renames practices
(the API, signed in with a session); on server B an anonymous visitor must see each change within 2 s: in
/api/v1/search, in the library with a query, on the practice page, and in the similar practices of its
twin. Then wrk measures the anonymous pages on A alone, then on A and B at once (the same total of
connections, split), and prints throughput and p99. Exits non-zero when a check fails.
"""

import argparse
import atexit
import http.cookiejar
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import BIN, ROOT, Load, ccx, fetch, gunicorn, prepare_site, production_env, rss_mb, wait_until_up, wrk

PASSWORD = "two-servers-bench-password-17"  # noqa: S105 - a scratch account in a benchmark database
MAKE_ACCOUNT = f"""
from ccx.accounts.models import User
from ccx.accounts.services import make_secretariat
user, _ = User.objects.get_or_create(username="bench-secretariat", defaults={{"email": "bench@example.org"}})
user.set_password({PASSWORD!r}); user.save(); make_secretariat(user)
"""
VISIBLE_WITHIN = 2.0
PAGES = ["/", "/practices/", "/cities/", "/challenges/", "/api/v1/practices?limit=20"]


def create_database(name: str) -> bool:
    """Create the database when missing; True when it already holds the library (setup can be skipped)."""
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
            return False
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{name}") as connection:
        try:
            found = connection.execute("SELECT count(*) FROM practices_practice").fetchone()
        except psycopg.errors.UndefinedTable:
            return False
    return bool(found and found[0] > 1000)


class Session:
    """A signed-in browser on one server: cookies, the CSRF token, JSON calls to the API."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")

    def sign_in(self, username: str, password: str) -> None:
        self.opener.open(self.base + "/accounts/login/").read()
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": self.csrf()}
        ).encode()
        self.opener.open(urllib.request.Request(self.base + "/accounts/login/", data=form)).read()  # noqa: S310
        if not any(cookie.name == "sessionid" for cookie in self.jar):
            raise SystemExit("could not sign in on server A")

    def call(self, method: str, path: str, payload: dict[str, object]) -> dict[str, object]:
        request = urllib.request.Request(  # noqa: S310 - the local server
            self.base + path,
            data=json.dumps(payload).encode(),
            method=method,
            headers={"Content-Type": "application/json", "X-CSRFToken": self.csrf()},
        )
        try:
            with self.opener.open(request) as response:
                return json.loads(response.read())  # type: ignore[no-any-return]
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{method} {path}: {error.code} {error.read()[:500]!r}") from error


def seconds_until(check: Callable[[], bool], since: float, limit: float = 15.0) -> float:
    """Seconds from `since` until `check()` holds (polled every 50 ms), or infinity after `limit`."""
    while time.perf_counter() - since < limit:
        if check():
            return time.perf_counter() - since
        time.sleep(0.05)
    return float("inf")


def shows(base: str, path: str, text: str) -> Callable[[], bool]:
    def check() -> bool:
        status, body = fetch(base + path)
        return status == 200 and text.encode() in body

    return check


def propagation(a: Session, b: str) -> list[tuple[str, float]]:
    """Publish two twin practices and rename one on A; time until B shows each change."""
    word = "Q" + uuid.uuid4().hex[:8]  # a word no other practice has
    body = (
        f"The {word} cooperative of glass blowers trains young people in the old town's workshops and sells "
        "their lanterns at the night market; the city lends the kilns and the tourist office the shop."
    )
    made = []
    for n in (1, 2):
        practice = a.call(
            "POST",
            "/api/v1/practices",
            {
                "title": f"{word} glass lanterns {n}",
                "summary": body,
                "description": body + " Ten workshops, forty apprentices a year.",
                "lead_city": "gangneung-kr",
                "themes": ["heritage"],
                "sdg_goals": [8, 11],
            },
        )
        slug = str(practice["slug"])
        for action in ("submit", "publish"):
            a.call("POST", f"/api/v1/practices/{slug}/workflow", {"action": action})
        made.append(slug)
    t = time.perf_counter()  # the second twin's publication, the last change
    timings = [
        ("published: found by /api/v1/search on B", seconds_until(shows(b, f"/api/v1/search?q={word}", made[0]), t)),
        ("published: in the library with q on B", seconds_until(shows(b, f"/practices/?q={word}", made[1]), t)),
        ("published: practice page on B", seconds_until(shows(b, f"/practices/{made[0]}/", f"{word} glass"), t)),
        ("published: twin among similar on B", seconds_until(shows(b, f"/practices/{made[0]}/", made[1]), t)),
    ]
    renamed = "R" + uuid.uuid4().hex[:8]
    a.call("PATCH", f"/api/v1/practices/{made[0]}", {"title": f"{renamed} lanterns of glass"})
    t = time.perf_counter()
    timings += [
        ("renamed: practice page on B", seconds_until(shows(b, f"/practices/{made[0]}/", renamed), t)),
        ("renamed: library on B", seconds_until(shows(b, "/practices/?sort=-published", renamed), t)),
        ("renamed: /api/v1/search on B", seconds_until(shows(b, f"/api/v1/search?q={renamed}", made[0]), t)),
    ]
    return timings


def load_on(bases: list[str], connections: int, seconds: int, scratch: Path) -> Load:
    """wrk on the page mix, the connections split between `bases`, run at the same time; totals."""
    script = scratch / "pages.lua"
    listed = ",".join(json.dumps(p) for p in PAGES)
    script.write_text(
        f"local paths = {{{listed}}}\nlocal n = 0\n"
        "request = function()\n  n = n + 1\n  return wrk.format(nil, paths[n % #paths + 1])\nend\n"
    )
    each = connections // len(bases)
    with ThreadPoolExecutor(len(bases)) as pool:
        loads = list(
            pool.map(lambda base: wrk(base + "/", connections=each, seconds=seconds, threads=1, script=script), bases)
        )
    return Load(
        requests_per_second=sum(load.requests_per_second for load in loads),
        p99_ms=max(load.p99_ms for load in loads),
        errors=sum(load.errors for load in loads),
        requests=sum(load.requests for load in loads),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="ccx_h17_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/8")
    parser.add_argument("--ports", type=int, nargs=2, default=[8190, 8191])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    import redis

    loaded = create_database(options.database)
    redis.Redis.from_url(options.redis).flushdb()
    scratch = Path(tempfile.mkdtemp(prefix="ccx-bench-two-"))
    static = Path(tempfile.gettempdir()) / f"ccx-bench-static-{options.database}"  # kept: built once
    atexit.register(shutil.rmtree, scratch, True)
    env = production_env(
        scratch,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{options.database}",
        CCX_CACHE_URL=options.redis,
        CCX_TASK_WORKER="true",
        CCX_DB_CONN_MAX_AGE="60",
        CCX_MEDIA_ROOT=str(scratch / "shared-media"),  # one volume for every server
        CCX_STATIC_ROOT=str(static),
    )
    prepare_site(env, load_data=not loaded)
    ccx(env, "shell", "-c", MAKE_ACCOUNT)
    worker = subprocess.Popen(
        [str(BIN / "ccx"), "db_worker", "--interval", "0.1"],
        env=env | {"CCX_ENCODER_THREADS": "2"},
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )
    atexit.register(worker.terminate)
    a = gunicorn(env, options.ports[0], workers=options.workers, extra=["--preload"])
    b = gunicorn(env, options.ports[1], workers=options.workers, extra=["--preload"])
    atexit.register(a.stop)
    atexit.register(b.stop)
    for server in (a, b):
        wait_until_up(server.base + "/")
    print(f"server A {a.base}, server B {b.base}: {options.workers} workers each; one db_worker; Redis {options.redis}")
    print(f"memory: A {rss_mb(a.process.pid):.0f} MB, B {rss_mb(b.process.pid):.0f} MB (RSS, master + workers)")

    session = Session(a.base)
    session.sign_in("bench-secretariat", PASSWORD)
    timings = propagation(session, b.base)
    print(f"\n{'change made on A, seen on B':<44} {'seconds':>8}")
    for label, seconds in timings:
        print(f"{label:<44} {seconds:8.2f}")
    visible = all(seconds <= VISIBLE_WITHIN for _label, seconds in timings)

    for base in (a.base, b.base):  # warm both
        load_on([base], options.connections, 3, scratch)
    one = load_on([a.base], options.connections, options.seconds, scratch)
    two = load_on([a.base, b.base], options.connections, options.seconds, scratch)
    print(f"\nwrk, {options.connections} connections in all, {options.seconds} s, the anonymous pages {PAGES}")
    print(f"{'servers':<12} {'req/s':>8} {'p99 ms':>8} {'errors':>7}")
    for label, load in (("A", one), ("A + B", two)):
        print(f"{label:<12} {load.requests_per_second:8.0f} {load.p99_ms:8.1f} {load.errors:7d}")
    gain = two.requests_per_second / one.requests_per_second if one.requests_per_second else 0.0
    print(f"two servers / one: {gain:.2f}")
    passed = visible and one.errors == 0 and two.errors == 0 and gain > 1.0
    print("PASSED" if passed else "FAILED", f"(changes visible within {VISIBLE_WITHIN} s, no errors, more throughput)")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()

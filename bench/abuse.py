"""Can one caller stall the site? Times a 1 MB anonymous POST /api/v1/match (must be refused in < 100 ms) and a
page while 4 such requests run at once (must answer in < 200 ms). Starts gunicorn on port 8120 (CCX_BENCH_PORT).

    .venv/bin/python bench/abuse.py
"""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

PORT = int(os.environ.get("CCX_BENCH_PORT", "8120"))
BASE = f"http://127.0.0.1:{PORT}"
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
BODY = json.dumps({"text": "empty shops in the old town " * 40_000}).encode()  # about 1.1 MB


def post_match() -> tuple[int, float]:
    request = urllib.request.Request(  # noqa: S310 (our own local server)
        f"{BASE}/api/v1/match", data=BODY, headers={"Content-Type": "application/json"}, method="POST"
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (our own local server)
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, (time.perf_counter() - started) * 1000


def get(path: str) -> tuple[int, float]:
    started = time.perf_counter()
    with urllib.request.urlopen(f"{BASE}{path}", timeout=60) as response:  # noqa: S310
        response.read()
        status = response.status
    return status, (time.perf_counter() - started) * 1000


def wait_until_up() -> None:
    for _ in range(240):
        try:
            get("/healthz")
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not start")


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "CCX_DEBUG": "true", "CCX_RATE_LIMITS": "false", "CCX_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [GUNICORN, "ccx.wsgi", "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{PORT}"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up()
        get("/practices/")  # warm both workers' caches
        get("/practices/")
        refusals = [post_match() for _ in range(10)]
        statuses = {status for status, _ms in refusals}
        worst_refusal = max(ms for _status, ms in refusals)
        print(f"1 MB POST /api/v1/match: statuses {sorted(statuses)}, worst {worst_refusal:.1f} ms (limit 100 ms)")
        page_times: list[float] = []
        stop = threading.Event()

        def attacker() -> None:
            while not stop.is_set():
                post_match()

        attackers = [threading.Thread(target=attacker) for _ in range(4)]
        for thread in attackers:
            thread.start()
        for _ in range(20):
            page_times.append(get("/practices/")[1])
        stop.set()
        for thread in attackers:
            thread.join()
        worst_page = max(page_times)
        print(f"GET /practices/ with 4 parallel 1 MB posts: worst {worst_page:.1f} ms (limit 200 ms)")
        ok = statuses == {413} and worst_refusal < 100 and worst_page < 200
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())

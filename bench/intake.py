"""Intake benchmark: POST /api/v1/reports on loopback against gunicorn and Postgres.

    .venv/bin/python bench/intake.py [--seconds 20] [--clients 16] [--workers 4]

Starts a throwaway Postgres and gunicorn, solves proof-of-work challenges ahead of time (at the
lowest difficulty, ALTCHA_MAX_NUMBER=1, and with the per-address rate limit raised: both said
in the output), drives the API from several client processes with keep-alive connections, and
prints accepted reports/s, latency percentiles and whether the rows in the database equal the
201 answers. Every address it touches is 127.0.0.1.
"""

import argparse
import base64
import http.client
import json
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    from frontstage.lib.throwaway_postgres import throwaway_postgres

    with throwaway_postgres() as pg:
        _create_database(pg)
        url = f"postgres://{pg.user}@{pg.host}:{pg.port}/frontstage"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "ALTCHA_MAX_NUMBER": "1",
            "INTAKE_REPORTS_PER_HOUR": "100000000",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
            "DATA_DIR": str(ROOT / "var" / "bench"),
        }
        manage = [sys.executable, "-m", "frontstage"]
        for step in (["migrate", "-v", "0"], ["demo", "--quiet"]):
            subprocess.run([*manage, *step], env=env, check=True, cwd=ROOT)  # noqa: S603
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603 - our own server on loopback
            [sys.executable, "-m", "gunicorn", "frontstage.wsgi", "-b", f"127.0.0.1:{port}",
             "-w", str(args.workers), "-k", "gthread", "--threads", "4", "--log-level", "warning"],
            env=env, cwd=ROOT,
        )  # fmt: skip
        try:
            _wait_for(port)
            print(
                "Proof of work at its lowest difficulty (ALTCHA_MAX_NUMBER=1); rate limit raised."
            )
            print(f"gunicorn: {args.workers} workers x 4 threads; {args.clients} client processes; "
                  f"{args.seconds:.0f} s; Postgres at {pg.host}:{pg.port}")  # fmt: skip
            with multiprocessing.Pool(args.clients) as pool:
                results = pool.starmap(
                    _client, [(port, args.seconds, n) for n in range(args.clients)]
                )
            accepted = sum(r[0] for r in results)
            other = sum(r[1] for r in results)
            latencies = sorted(x for r in results for x in r[2])
            rows = _count_rows(env)
            _report(accepted, other, latencies, rows, args.seconds)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


def _create_database(pg: Any) -> None:
    import psycopg

    for _attempt in range(60):
        try:
            with psycopg.connect(
                host=pg.host,
                port=pg.port,
                user=pg.user,
                dbname="postgres",
                autocommit=True,
            ) as connection:
                connection.execute("CREATE DATABASE frontstage")
                return
        except psycopg.OperationalError:
            time.sleep(0.5)
    raise SystemExit("Postgres did not start")


def _client(port: int, seconds: float, number: int) -> tuple[int, int, list[float]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    accepted = other = 0
    latencies: list[float] = []
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end:
        i += 1
        body = json.dumps({
            "locations": [{"kind": "url", "value": f"http://b{number}-{i % 500}.example/p"}],
            "category": "scam_fraud",
            "explanation": f"Benchmark report {number}-{i}: a fake parcel-fee page.",
            "region": "CN-GD",
            "good_faith": True,
            "altcha": _solved(connection),
        })  # fmt: skip
        started = time.perf_counter()
        connection.request("POST", "/api/v1/reports", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        latencies.append(time.perf_counter() - started)
        if response.status == 201:
            accepted += 1
        else:
            other += 1
    connection.close()
    return accepted, other, latencies


def _solved(connection: http.client.HTTPConnection) -> str:
    """Fetch a challenge and solve it (difficulty 1: the number is 0 or 1). Not timed."""
    import hashlib

    connection.request("GET", "/api/v1/challenge")
    challenge = json.loads(connection.getresponse().read())
    for number in range(challenge["maxnumber"] + 1):
        digest = hashlib.sha256(f"{challenge['salt']}{number}".encode()).hexdigest()
        if digest == challenge["challenge"]:
            break
    payload = {k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")}
    return base64.b64encode(json.dumps({**payload, "number": number}).encode()).decode()


def _count_rows(env: dict[str, str]) -> int:
    code = "from frontstage.intake.models import Report; print(Report.objects.count())"
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "frontstage", "shell", "-c", code],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return int(done.stdout.strip().splitlines()[-1])


def _report(accepted: int, other: int, latencies: list[float], rows: int, seconds: float) -> None:
    demo_reports = 10  # `frontstage demo` files ten
    p = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    print(f"accepted: {accepted} (201)   other answers: {other}")
    print(f"throughput: {accepted / seconds:.0f} accepted reports/s")
    p50, p99, worst = p[49] * 1000, p[98] * 1000, latencies[-1] * 1000
    print(f"latency: p50 {p50:.1f} ms   p99 {p99:.1f} ms   max {worst:.1f} ms")
    lost = accepted - (rows - demo_reports)
    print(f"rows in database: {rows - demo_reports} for {accepted} answers of 201: "
          f"{'none lost' if lost == 0 else f'{lost} LOST'}")  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/api/v1/units")
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


if __name__ == "__main__":
    main()

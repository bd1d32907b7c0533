"""Intake benchmark: POST /api/v1/reports on loopback against gunicorn and Postgres.

    .venv/bin/python bench/intake.py [--seconds 20] [--clients 16] [--workers 2]

Starts a throwaway Postgres and gunicorn, solves proof-of-work challenges ahead of time (at the
lowest difficulty, ALTCHA_MAX_NUMBER=1, and with the per-address rate limit raised: both said
in the output), drives the API from client threads in a few processes (keep-alive where the
server offers it), and prints the gunicorn flags, accepted reports/s, latency percentiles and
whether the new rows in the database equal the 201 answers. Every address it touches is
127.0.0.1.
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    # One single-threaded worker per core measured best on two cores: more workers, or threads
    # under one GIL, spend the CPU time on switching between them (see the intake README).
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--gunicorn", default="", help="more gunicorn flags, as one string")
    parser.add_argument(
        "--client-processes", type=int, default=2, help="processes the clients run in, as threads"
    )
    args = parser.parse_args()

    from frontstage.lib.throwaway_postgres import create_database, throwaway_postgres

    with throwaway_postgres() as pg:
        create_database(pg)
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
        gunicorn = ["frontstage.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers),
                    "-k", args.worker_class, "--threads", str(args.threads),
                    "--log-level", "warning", *args.gunicorn.split()]  # fmt: skip
        server = subprocess.Popen(  # noqa: S603 - our own server on loopback
            [sys.executable, "-m", "gunicorn", *gunicorn], env=env, cwd=ROOT
        )
        try:
            _wait_for(port)
            print(
                "Proof of work at its lowest difficulty (ALTCHA_MAX_NUMBER=1); rate limit raised."
            )
            print(f"gunicorn {' '.join(gunicorn)}")
            print(f"{args.clients} clients in {args.client_processes} processes; "
                  f"{args.seconds:.0f} s; "
                  f"Postgres at {pg.host}:{pg.port}")  # fmt: skip
            before = _count_rows(env)  # the demo's own reports, whatever it files
            processes = max(1, min(args.client_processes, args.clients))
            shares = [list(range(args.clients))[p::processes] for p in range(processes)]
            with multiprocessing.Pool(processes) as pool:
                results = [
                    result
                    for share in pool.starmap(_clients, [(port, args.seconds, s) for s in shares])
                    for result in share
                ]
            accepted = sum(r[0] for r in results)
            other = sum(r[1] for r in results)
            latencies = sorted(x for r in results for x in r[2])
            rows = _count_rows(env) - before
            _report(accepted, other, latencies, rows, args.seconds)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


def _clients(port: int, seconds: float, numbers: list[int]) -> list[tuple[int, int, list[float]]]:
    """Clients as threads of one process: a process each would take CPU time from the server
    (the clients wait on the network almost all the time, so they hardly share the GIL)."""
    with ThreadPoolExecutor(len(numbers)) as threads:
        return list(threads.map(lambda n: _client(port, seconds, n), numbers))


def _client(port: int, seconds: float, number: int) -> tuple[int, int, list[float]]:
    connection = _Connection(port)
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
        status, _answer = connection.request("POST", "/api/v1/reports", body.encode())
        latencies.append(time.perf_counter() - started)
        if status == 201:
            accepted += 1
        else:
            other += 1
    connection.close()
    return accepted, other, latencies


def _solved(connection: "_Connection") -> str:
    """Fetch a challenge and solve it (difficulty 1: the number is 0 or 1). Not timed."""
    import hashlib

    challenge = json.loads(connection.request("GET", "/api/v1/challenge")[1])
    for number in range(challenge["maxnumber"] + 1):
        digest = hashlib.sha256(f"{challenge['salt']}{number}".encode()).hexdigest()
        if digest == challenge["challenge"]:
            break
    payload = {k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")}
    return base64.b64encode(json.dumps({**payload, "number": number}).encode()).decode()


class _Connection:
    """Just enough HTTP/1.1 for these two requests, keep-alive included. The clients share
    the cores with the server, and http.client (whose header parsing alone costs more than
    all of this) took CPU time from the server it measures."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.sock: socket.socket | None = None
        self.buffer = b""

    def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        if self.sock is None:
            self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=30)
            self.buffer = b""
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.sock.sendall(head.encode() + body)
        status_line, _, headers = self._read_until(b"\r\n\r\n").partition(b"\r\n")
        fields = dict(
            line.split(b":", 1) for line in headers.lower().split(b"\r\n") if b":" in line
        )
        if b"content-length" not in fields:  # Django's CommonMiddleware always sets it
            raise ConnectionError(f"an answer without Content-Length: {status_line!r}")
        answer = self._read_exactly(int(fields[b"content-length"]))
        if fields.get(b"connection", b"").strip() == b"close":
            self.close()
        return int(status_line.split()[1]), answer

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def _read_until(self, marker: bytes) -> bytes:
        while marker not in self.buffer:
            self._receive()
        found, self.buffer = self.buffer.split(marker, 1)
        return found

    def _read_exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._receive()
        found, self.buffer = self.buffer[:size], self.buffer[size:]
        return found

    def _receive(self) -> None:
        data = self.sock.recv(65536) if self.sock is not None else b""
        if not data:
            raise ConnectionError("the server closed the connection mid-answer")
        self.buffer += data


def _count_rows(env: dict[str, str]) -> int:
    code = "from frontstage.intake.models import Report; print(Report.objects.count())"
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "frontstage", "shell", "-c", code],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return int(done.stdout.strip().splitlines()[-1])


def _report(accepted: int, other: int, latencies: list[float], rows: int, seconds: float) -> None:
    p = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    print(f"accepted: {accepted} (201)   other answers: {other}")
    print(f"throughput: {accepted / seconds:.0f} accepted reports/s")
    p50, p99, worst = p[49] * 1000, p[98] * 1000, latencies[-1] * 1000
    print(f"latency: p50 {p50:.1f} ms   p99 {p99:.1f} ms   max {worst:.1f} ms")
    lost = accepted - rows
    print(f"rows in database: {rows} for {accepted} answers of 201: "
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

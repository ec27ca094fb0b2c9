"""Load on the web server over loopback: concurrent POST /api/analyze while health and page loads are timed.

    .venv/bin/python bench/bench_server.py [--requests 40] [--concurrency 10] [--workers 2]
    .venv/bin/python bench/bench_server.py --url http://127.0.0.1:8000   # a server that is already running

Without --url it starts ``spinlens serve`` on 127.0.0.1 with a temporary SQLite
database and stops it afterwards. Texts are typical-length articles from the
SemEval-2023 folder in ../shared when present (else the bundled example), each
with a distinct last line so the store's cache never answers. While the
analyses run, GET /api/health and GET / are polled to show that the event loop
stays responsive. ``--offline`` also times the same texts through the pipeline
in-process (``analyse_many`` with as many processes as server workers), the
figure the server's throughput is compared with. Only loopback addresses are
used; the run is bounded by --requests and --max-seconds. Figures are printed,
never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

REPO = Path(__file__).resolve().parents[1]
ARTICLES = REPO.parent / "shared" / "data" / "semeval2023-task3" / "en" / "articles"
EXAMPLE = REPO / "spinlens" / "examples" / "harbour-deal.txt"
POLL_INTERVAL = 0.2


@dataclass
class Timings:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def line(self, name: str) -> str:
        if not self.latencies:
            return f"{name}: no successful requests, {len(self.errors)} errors"
        ms = sorted(1000 * x for x in self.latencies)
        return (
            f"{name}: n={len(ms)}  p50 {percentile(ms, 50):7.1f} ms  p99 {percentile(ms, 99):7.1f} ms  "
            f"max {ms[-1]:7.1f} ms  errors {len(self.errors)}"
        )


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    rank = max(1, -(-len(sorted_values) * pct // 100))
    return sorted_values[int(rank) - 1]


def load_texts(n: int, min_chars: int, max_chars: int) -> tuple[list[str], str]:
    base: list[str] = []
    source = str(EXAMPLE.relative_to(REPO))
    if ARTICLES.is_dir():
        for path in sorted(ARTICLES.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            if min_chars <= len(text) <= max_chars:
                base.append(text)
            if len(base) >= n:
                break
        source = f"{len(base)} articles from {ARTICLES}"
    if not base:
        base = [EXAMPLE.read_text(encoding="utf-8")]
    # A distinct last line per request: the same text with the same models would be a cache hit.
    texts = [
        base[i % len(base)].rstrip("\n") + f"\n\nLoad test request {i} at {time.time_ns()}.\n"
        for i in range(n)
    ]
    return texts, source


def check_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    sys.exit(f"refusing to load {url}: only loopback addresses (127.0.0.1, ::1, localhost) are used")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(workers: int, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    db = f"sqlite:///{folder / 'bench.db'}"
    command = [sys.executable, "-m", "spinlens", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--db", db, "--workers", str(workers)]  # fmt: skip
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    while time.perf_counter() - started < 180:
        if process.poll() is not None:
            sys.exit(f"the server stopped while starting:\n{(folder / 'server.log').read_text()[-3000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                print(f"server started in {time.perf_counter() - started:.1f} s ({workers} analysis workers)")
                return process, url
        time.sleep(0.25)
    stop_server(process)
    sys.exit("the server did not become healthy within 180 s")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


async def analyse_all(
    url: str, texts: list[str], concurrency: int, deadline: float, token: str | None
) -> Timings:
    timings = Timings()
    slots = asyncio.Semaphore(concurrency)
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    async def one(client: httpx.AsyncClient, text: str) -> None:
        async with slots:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                timings.errors.append("not sent: out of time")
                return
            started = time.perf_counter()
            try:
                response = await client.post(
                    f"{url}/api/analyze",
                    json={"text": text, "store": True},
                    headers=headers,
                    timeout=remaining,
                )
            except httpx.HTTPError as exc:
                timings.errors.append(f"{type(exc).__name__}: {exc}")
                return
            if response.status_code == 200 and response.json().get("article_id"):
                timings.latencies.append(time.perf_counter() - started)
            else:
                timings.errors.append(f"HTTP {response.status_code}: {response.text[:200]}")

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits) as client:
        await asyncio.gather(*(one(client, text) for text in texts))
    return timings


async def poll(url: str, path: str, stop: asyncio.Event) -> Timings:
    timings = Timings()
    async with httpx.AsyncClient(timeout=10) as client:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                response = await client.get(f"{url}{path}")
                if response.status_code == 200:
                    timings.latencies.append(time.perf_counter() - started)
                else:
                    timings.errors.append(f"HTTP {response.status_code}")
            except httpx.HTTPError as exc:
                timings.errors.append(type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), POLL_INTERVAL)
    return timings


async def run_load(
    url: str, texts: list[str], concurrency: int, max_seconds: float, token: str | None
) -> float:
    """Runs the load and prints its figures; returns the throughput in articles/s."""
    stop = asyncio.Event()
    pollers = [asyncio.create_task(poll(url, path, stop)) for path in ("/api/health", "/")]
    await asyncio.sleep(1.0)  # a baseline of idle polls first
    started = time.perf_counter()
    analyses = await analyse_all(url, texts, concurrency, started + max_seconds, token)
    elapsed = time.perf_counter() - started
    stop.set()
    health, page = await asyncio.gather(*pollers)
    done = len(analyses.latencies)
    throughput = done / elapsed if elapsed else 0.0
    print(
        f"{len(texts)} POST /api/analyze (store true) from {concurrency} concurrent clients "
        f"in {elapsed:.1f} s"
    )
    print(f"throughput: {throughput:.2f} articles/s")
    print(analyses.line("analyze latency"))
    if analyses.errors:
        for message in sorted(set(analyses.errors))[:5]:
            print(f"  error: {message}")
    print(health.line("GET /api/health during load"))
    print(page.line("GET / during load"))
    if throughput:
        bound = concurrency / throughput + 1.0
        p99 = percentile(sorted(analyses.latencies), 99)
        print(f"p99 bound (queue depth / throughput + 1 s): {bound:.1f} s; measured p99 {p99:.1f} s")
    return throughput


def offline_rate(texts: list[str], processes: int) -> float:
    """Articles per second for the same texts through the pipeline in-process, models loaded first."""
    code = (
        "import json, sys, time\n"
        "from spinlens.core.model import Article\n"
        "from spinlens.pipeline import analyse_many, load_pipeline\n"
        "texts = json.loads(sys.stdin.read())\n"
        "pipeline = load_pipeline()\n"
        "started = time.perf_counter()\n"
        "articles = (Article(text=t) for t in texts)\n"
        f"n = sum(1 for _ in analyse_many(pipeline, articles, processes={processes}))\n"
        "print(json.dumps(n / (time.perf_counter() - started)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"offline run failed:\n{result.stderr[-2000:]}")
    rate: float = json.loads(result.stdout.strip().splitlines()[-1])
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="a running server on loopback (default: start one)")
    parser.add_argument("--requests", type=int, default=40, help="analyses to request (default 40)")
    parser.add_argument("--concurrency", type=int, default=10, help="concurrent clients (default 10)")
    parser.add_argument(
        "--workers", type=int, default=2, help="analysis workers of the started server (default 2)"
    )
    parser.add_argument(
        "--max-seconds", type=float, default=600, help="stop sending after this (default 600)"
    )
    parser.add_argument("--min-chars", type=int, default=1500, help="shortest article to use (default 1500)")
    parser.add_argument("--max-chars", type=int, default=6000, help="longest article to use (default 6000)")
    parser.add_argument("--offline", action="store_true", help="also time the same texts without the server")
    parser.add_argument("--token", default=os.environ.get("SPINLENS_TOKEN"), help="bearer token, if needed")
    args = parser.parse_args()
    if not (1 <= args.requests <= 10_000 and 1 <= args.concurrency <= 256):
        sys.exit("--requests must be 1..10000 and --concurrency 1..256")
    texts, source = load_texts(args.requests, args.min_chars, args.max_chars)
    mean_chars = statistics.mean(len(t) for t in texts)
    print(f"texts: {source}; {mean_chars:.0f} characters on average")
    print(f"host: {os.cpu_count()} cores, python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="spinlens-bench-") as folder:
        process = None
        if args.url:
            check_loopback(args.url)
            url = args.url.rstrip("/")
        else:
            process, url = start_server(args.workers, Path(folder))
        try:
            throughput = asyncio.run(run_load(url, texts, args.concurrency, args.max_seconds, args.token))
        finally:
            if process is not None:
                stop_server(process)
    if args.offline:
        workers = args.workers
        rate = offline_rate(texts, workers)
        print(f"offline: {rate:.2f} articles/s for the same texts with analyse_many(processes={workers})")
        print(f"server throughput is {100 * throughput / rate:.0f}% of the offline figure")


if __name__ == "__main__":
    main()

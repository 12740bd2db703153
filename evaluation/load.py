"""Load test of the real HTTP service: concurrent searches while an import runs.

    python -m evaluation.load [--home DIR] [--duration 60] [--clients 20] [--import-rows 5000]
                              [--think-ms 0] [--embedding-model PATH|hashing:64]

The store (default: the evaluation store holding the UPR Info dev set) is copied to a temporary
folder, so the benchmark never changes it. A uvicorn server is started over the copy, with a reader
key for the searching clients and a coordinator key for the import. ``--clients`` threads then send
``GET /search`` back to back (or with pauses of ``--think-ms`` on average, drawn at random so that
clients do not march in step, as people and systems do not) for ``--duration``
seconds, while ``--import-rows`` recommendations are uploaded through ``POST /imports`` and
``GET /imports/{id}`` is polled until the import ends.

Queries are the French, Arabic and English texts of the evaluation sets, whole and cut to their
first 4 and 8 words, shuffled; none repeats until the pool is used up (the service caches query
vectors, so a repeat costs no embedding). Imported rows are UPR Info dev rows with a closing
clause added to each text, so every text is new and embedded, as in a real import.

Besides latencies and throughput, the CPU seconds used in the search window are reported for the
server, this load generator and the rest of the machine: on a shared machine the last tells how
much of the cores the server actually had. ``--import-rows 0`` measures searches alone.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np

from corpora.paths import PROJECT_ROOT, UPR_INFO_DEV, data_file
from evaluation.common import DEFAULT_EVAL_STORE, EVAL_DATA, read_jsonl, write_results
from nlp.store import Store
from service.auth import ApiKeys

QUERY_SETS = ("search_translations.jsonl", "tagging_translations.jsonl")
CLOSING_CLAUSES = (
    "and report on progress at the next review",
    "with the participation of civil society",
    "and allocate the resources needed to that end",
    "in line with its international obligations",
    "and evaluate the results regularly",
)
IMPORT_COLUMNS = ("text", "state_under_review", "recommending_state", "mechanism", "cycle", "session", "response")


def query_pool(seed: int = 0) -> list[str]:
    """Distinct French, Arabic and English queries: whole texts and their first 4 and 8 words."""
    texts: dict[str, None] = {}
    for name in QUERY_SETS:
        for item in read_jsonl(EVAL_DATA / name):
            for lang in ("fr", "ar", "en"):
                words = item[lang].split()
                for cut in (4, 8, len(words)):
                    texts[" ".join(words[:cut])] = None
    pool = list(texts)
    random.Random(seed).shuffle(pool)
    return pool


def write_import_file(path: Path, rows: int, data_dir: Path | None, seed: int = 0) -> Path:
    """``rows`` UPR Info dev rows in the generic CSV format, each text ending with a new clause."""
    with data_file(data_dir, UPR_INFO_DEV).open(encoding="utf-8", newline="") as handle:
        source = list(csv.DictReader(handle))
    chosen = random.Random(seed).sample(source, min(rows, len(source)))
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=IMPORT_COLUMNS)
        writer.writeheader()
        for i, row in enumerate(chosen):
            text = row["recommendation"].strip().rstrip(".")
            writer.writerow(
                {
                    "text": f"{text}, {CLOSING_CLAUSES[i % len(CLOSING_CLAUSES)]}.",
                    "state_under_review": row["state_under_review"],
                    "recommending_state": row["recommending_state"],
                    "mechanism": "UPR",
                    "cycle": row["cycle"],
                    "session": row["session"],
                    "response": row["response"],
                }
            )
    return path


def create_key(home: Path, name: str, role: str) -> str:
    store = Store.open(home)
    try:
        return ApiKeys(store).create(name, role)[1]
    finally:
        store.close()


def cpu_seconds(pid: int | str = "self") -> float:
    """CPU time (user + system) a process has used so far, from /proc (0.0 where there is none)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time every process of the machine has used so far (all cores), from /proc/stat."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0.0
    idle = values[3] + values[4]  # idle and iowait
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(
    home: Path, embedding_model: str | None, log: Path, timeout: float = 300
) -> Iterator[tuple[str, int]]:
    """A uvicorn process serving the app over ``home``; yields its base URL and pid once /health answers."""
    port = free_port()
    env = {**os.environ, "TAWSIYA_HOME": str(home)}
    if embedding_model:
        env["TAWSIYA_EMBEDDING_MODEL"] = embedding_model
    command = [sys.executable, "-m", "uvicorn", "service.main:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning"]
    with log.open("wb") as log_file:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        base_url = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        try:
            deadline = started + timeout
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"the server stopped (exit {process.returncode}); see {log}")
                try:
                    if httpx.get(f"{base_url}/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not answer /health within {timeout:.0f} s; see {log}")
                time.sleep(0.5)
            print(
                f"server pid {process.pid} at {base_url}, ready in {time.monotonic() - started:.1f} s", file=sys.stderr
            )
            yield base_url, process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@dataclass
class SearchLog:
    """What the searching clients saw: one (start, latency ms, status) per request; status 0 = exception."""

    requests: list[tuple[float, float, int]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, start: float, latency_ms: float, status: int, failure: str | None = None) -> None:
        with self.lock:
            self.requests.append((start, latency_ms, status))
            if failure and len(self.failures) < 20:
                self.failures.append(failure)


def search_client(
    base_url: str, key: str, queries: list[str], counter, stop: float, think: float, log: SearchLog, seed: int = 0
):
    """Search until ``stop``; with ``think`` (mean seconds), start after a random part of it and pause
    for exponentially distributed times between searches (Poisson arrivals per client)."""
    pauses = random.Random(seed)
    if think:
        time.sleep(pauses.uniform(0, think))
    with httpx.Client(base_url=base_url, headers={"X-API-Key": key}, timeout=30) as client:
        while (start := time.monotonic()) < stop:
            query = queries[next(counter) % len(queries)]
            try:
                response = client.get("/search", params={"q": query, "k": 10})
                status = response.status_code
                failure = None if status < 300 else f"{status} q={query!r}: {response.text[:300]}"
            except httpx.HTTPError as error:
                status, failure = 0, f"{type(error).__name__} q={query!r}: {error}"
            log.add(start, (time.monotonic() - start) * 1000, status, failure)
            if think:
                time.sleep(pauses.expovariate(1 / think))


@dataclass
class ImportRun:
    started: float = 0.0
    ended: float | None = None
    job: dict = field(default_factory=dict)
    error: str | None = None


def run_import(base_url: str, key: str, path: Path, deadline: float, run: ImportRun) -> None:
    """Upload ``path`` and poll its job until it is done, failed or ``deadline`` passes."""
    with httpx.Client(base_url=base_url, headers={"X-API-Key": key}, timeout=120) as client:
        run.started = time.monotonic()
        with path.open("rb") as handle:
            response = client.post("/imports", files={"file": (path.name, handle, "text/csv")}, data={"format": "csv"})
        if response.status_code != 202:
            run.error = f"POST /imports answered {response.status_code}: {response.text[:500]}"
            return
        run.job = response.json()
        while time.monotonic() < deadline:
            time.sleep(0.5)
            response = client.get(f"/imports/{run.job['id']}")
            if response.status_code != 200:
                run.error = f"GET /imports/{run.job['id']} answered {response.status_code}: {response.text[:500]}"
                return
            run.job = response.json()
            if run.job["status"] in ("done", "failed", "interrupted"):
                run.ended = time.monotonic()
                return


def percentiles(latencies: list[float]) -> dict[str, float | None]:
    if not latencies:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None}
    p50, p95, p99 = np.percentile(latencies, [50, 95, 99])
    return {"p50_ms": round(float(p50), 1), "p95_ms": round(float(p95), 1), "p99_ms": round(float(p99), 1)}


def summarise(log: SearchLog, load_start: float, duration: float, imported: ImportRun, rows: int) -> dict:
    ok = [(start, ms) for start, ms, status in log.requests if 200 <= status < 300]
    import_end = imported.ended or (float("inf") if rows else 0.0)
    during = [ms for start, ms in ok if imported.started <= start < import_end]
    after = [ms for start, ms in ok if start >= import_end]
    job = imported.job
    import_s = (imported.ended - imported.started) if imported.ended else None
    return {
        "requests": len(log.requests),
        "requests_per_s": round(len(log.requests) / duration, 1),
        "errors": sum(1 for _, _, status in log.requests if not 200 <= status < 300),
        "search": percentiles([ms for _, ms in ok]),
        "search_during_import": {"requests": len(during), **percentiles(during)},
        "search_after_import": {"requests": len(after), **percentiles(after)},
        "error_samples": log.failures,
        "import": {
            "rows": rows,
            "status": job.get("status"),
            "finished": job.get("status") == "done",
            "finished_during_load": imported.ended is not None and imported.ended <= load_start + duration,
            "inserted": job.get("inserted"),
            "already_stored": job.get("already_stored"),
            "rejected": len(job.get("rejected") or []),
            "duration_s": round(import_s, 1) if import_s else None,
            "rows_per_s": round(rows / import_s, 1) if import_s else None,
            "error": imported.error,
        },
    }


def load_test(base_url: str, server_pid: int, keys: dict[str, str], import_file: Path, rows: int, args) -> dict:
    queries = query_pool()
    httpx.get(f"{base_url}/search", params={"q": "warm-up query"}, headers={"X-API-Key": keys["reader"]}, timeout=60)
    log, imported, counter = SearchLog(), ImportRun(), iter(range(sys.maxsize))
    cpu_start = (cpu_seconds(server_pid), cpu_seconds(), machine_busy_seconds())
    load_start = time.monotonic()
    stop = load_start + args.duration
    importer = threading.Thread(
        target=run_import, args=(base_url, keys["coordinator"], import_file, stop + args.import_timeout, imported)
    )
    if rows:
        importer.start()
    clients = [
        threading.Thread(
            target=search_client,
            args=(base_url, keys["reader"], queries, counter, stop, args.think_ms / 1000, log, seed),
        )
        for seed in range(args.clients)
    ]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    duration = time.monotonic() - load_start
    server_cpu, client_cpu, busy = (
        end - start
        for end, start in zip((cpu_seconds(server_pid), cpu_seconds(), machine_busy_seconds()), cpu_start, strict=True)
    )
    if rows:
        importer.join()
    results = summarise(log, load_start, duration, imported, rows)
    results["distinct_queries"] = min(len(queries), results["requests"])
    results["repeated_queries"] = max(0, results["requests"] - len(queries))
    results["duration_s"] = round(duration, 1)
    # CPU seconds used during the search window: by the server, by this load generator, by the rest of the machine
    results["cpu_s"] = {
        "available": round((os.cpu_count() or 1) * duration, 1),
        "server": round(server_cpu, 1),
        "load_generator": round(client_cpu, 1),
        "other_processes": round(max(0.0, busy - server_cpu - client_cpu), 1),
        "server_per_search_ms": round(server_cpu / max(1, results["requests"]) * 1000, 1),
    }
    return results


def print_summary(results: dict) -> None:
    search, imp = results["search"], results["import"]
    print(f"store: {results['stored']} recommendations, {results['indexed']} indexed; model: {results['model']}")
    print(
        f"{results['clients']} clients for {results['duration_s']} s (think {results['think_ms']} ms): "
        f"{results['requests']} searches, {results['requests_per_s']} requests/s, {results['errors']} errors"
    )
    cpu = results["cpu_s"]
    print(
        f"CPU seconds of {cpu['available']} available: server {cpu['server']} "
        f"({cpu['server_per_search_ms']} ms per search, import included), load generator {cpu['load_generator']}, "
        f"other processes {cpu['other_processes']}"
    )
    print(f"search latency ms: p50 {search['p50_ms']}  p95 {search['p95_ms']}  p99 {search['p99_ms']}")
    for label in ("during_import", "after_import"):
        part = results[f"search_{label}"]
        print(f"  {label.replace('_', ' ')}: {part['requests']} searches, p50 {part['p50_ms']}  p95 {part['p95_ms']}")
    print(f"queries: {results['distinct_queries']} distinct, {results['repeated_queries']} repeats (cached vectors)")
    print(
        f"import of {imp['rows']} rows: {imp['status']}, {imp['inserted']} inserted, {imp['rejected']} rejected, "
        f"{imp['duration_s']} s, {imp['rows_per_s']} rows/s, finished during the load: {imp['finished_during_load']}"
    )
    for sample in results["error_samples"][:5]:
        print(f"  error: {sample}")
    if imp["error"]:
        print(f"  import error: {imp['error']}")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", type=Path, default=DEFAULT_EVAL_STORE, help="store to copy and serve")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of searching")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument(
        "--think-ms", type=float, default=0.0, help="mean pause of each client between its searches (exponential)"
    )
    parser.add_argument("--import-rows", type=int, default=5000)
    parser.add_argument("--import-timeout", type=float, default=600.0, help="seconds to wait for the import after")
    parser.add_argument("--embedding-model", default=None, help="default: the configured model (use-multilingual)")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--name", default="load", help="results file name under evaluation/results/")
    args = parser.parse_args(argv)
    if not args.home.is_dir():
        parser.error(f"--home {args.home}: no such store folder")
    with tempfile.TemporaryDirectory(prefix="tawsiya-load-") as tmp:
        home = Path(tmp) / "store"
        shutil.copytree(args.home, home, ignore=shutil.ignore_patterns("uploads"))
        keys = {role: create_key(home, f"load test {role}", role) for role in ("reader", "coordinator")}
        import_file = write_import_file(Path(tmp) / "import.csv", args.import_rows, args.data_dir)
        server_log = Path(tmp) / "server.log"
        try:
            with running_server(home, args.embedding_model, server_log) as (base_url, pid):
                health = httpx.get(f"{base_url}/health", timeout=10).json()
                results = load_test(base_url, pid, keys, import_file, args.import_rows, args)
        finally:
            log_text = server_log.read_text(encoding="utf-8", errors="replace") if server_log.exists() else ""
    results.update(
        clients=args.clients,
        think_ms=args.think_ms,
        cpus=os.cpu_count(),
        stored=health["recommendations"],
        indexed=health["indexed"],
        model=health["embedding_model"],
        server_log_tail=log_text[-4000:],
    )
    print_summary(results)
    if "Traceback" in log_text:
        print("the server logged tracebacks (see server_log_tail in the results):\n" + log_text[-2000:])
    print(f"written {write_results(args.name, results)}")
    return results


if __name__ == "__main__":
    main()

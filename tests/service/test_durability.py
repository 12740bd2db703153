"""A real server killed with SIGKILL in the middle of an import loses nothing committed, duplicates
nothing, and the import resumes; a corrupt index file is rebuilt from the database."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROWS = 10_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TAWSIYA_HOME": str(home),
        "TAWSIYA_EMBEDDING_MODEL": "hashing:64",
        "TAWSIYA_TAG_ON_IMPORT": "false",
        "TAWSIYA_MAP_ON_IMPORT": "false",  # not what is tested here, and the slowest step per row
        "TAWSIYA_IMPORT_BATCH_SIZE": "25",
    }


class Server:
    def __init__(self, home: Path) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve", "--port", str(self.port)],
            env=_env(home),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        self.process.kill()
        raise RuntimeError(f"server did not start: {self.process.stderr.read().decode()[-2000:]}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _committed(home: Path) -> tuple[int, int]:
    with sqlite3.connect(home / "tawsiya.db") as db:
        return db.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM recommendations").fetchone()


@pytest.fixture
def home_and_key(tmp_path):
    home = tmp_path / "home"
    created = subprocess.run(
        [sys.executable, "-m", "service.cli", "keys", "create", "--role", "coordinator", "--name", "durability"],
        env=_env(home),
        capture_output=True,
        text=True,
        check=True,
    )
    return home, {"X-API-Key": created.stdout.strip()}


def test_kill_minus_nine_mid_import_loses_and_duplicates_nothing(home_and_key, tmp_path):
    home, key = home_and_key
    upload = tmp_path / "big.csv"
    upload.write_text(
        "id,text,state_under_review,language\n"
        + "".join(f"k{i},Recommendation number {i} on topic {i % 97},State {i % 13},en\n" for i in range(ROWS)),
        encoding="utf-8",
    )
    server = Server(home)
    try:
        with upload.open("rb") as handle:
            job = httpx.post(f"{server.url}/imports", headers=key, files={"file": ("big.csv", handle)}, timeout=60)
        job_id = job.json()["id"]
        while True:
            progress = httpx.get(f"{server.url}/imports/{job_id}", headers=key, timeout=10).json()
            assert progress["status"] != "done", "the import finished before it could be killed; use more rows"
            if progress["inserted"] >= 500:
                break
            time.sleep(0.02)
    finally:
        server.kill()
    committed, distinct = _committed(home)
    assert 500 <= committed < ROWS and committed == distinct

    server = Server(home)
    try:
        health = httpx.get(f"{server.url}/health").json()
        assert health["recommendations"] == committed and health["indexed"] == committed
        found = httpx.get(
            f"{server.url}/search", headers=key, params={"q": "Recommendation number 3 on topic 3"}
        ).json()
        assert found["hits"][0]["id"] == "k3"
        interrupted = httpx.get(f"{server.url}/imports/{job_id}", headers=key).json()
        assert interrupted["status"] == "interrupted" and interrupted["resumable"]
        assert httpx.post(f"{server.url}/imports/{job_id}/resume", headers=key).status_code == 202
        deadline = time.monotonic() + 300
        while (done := httpx.get(f"{server.url}/imports/{job_id}", headers=key).json())["status"] != "done":
            assert time.monotonic() < deadline and done["status"] in ("queued", "running", "interrupted")
            time.sleep(0.2)
        assert done["already_stored"] == committed and done["inserted"] == ROWS - committed
        assert httpx.get(f"{server.url}/health").json()["indexed"] == ROWS
    finally:
        server.stop()
    assert _committed(home) == (ROWS, ROWS)


def test_a_corrupt_index_file_is_rebuilt_from_the_database(home_and_key):
    home, key = home_and_key
    server = Server(home)
    try:
        items = [{"id": f"x{i}", "text": f"Protect human rights defenders, case {i}"} for i in range(5)]
        assert httpx.post(f"{server.url}/recommendations", headers=key, json={"items": items}).status_code == 201
    finally:
        server.stop()
    for index_file in (home / "index").glob("*.faiss"):
        index_file.write_bytes(b"not an index")
    server = Server(home)
    try:
        assert httpx.get(f"{server.url}/health").json()["indexed"] == 5
    finally:
        server.stop()

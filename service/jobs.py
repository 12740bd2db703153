"""Import jobs of the web service: uploads kept on disk and imported one at a time in the background.

An upload is recorded (``queued``) with the path of the kept file before the job starts, so that an
import cut short (a crash, a kill) is marked ``interrupted`` at the next start and can be resumed:
its rows run again and those already stored are skipped (ids make that exact).

By default a job runs in a worker process of its own (:mod:`service.import_worker`), at a lower
priority: embedding, tagging, mapping and re-clustering thousands of rows is mostly Python, and in
the service's process it would hold the interpreter lock for the searches. The service adds the
worker's committed rows to its index as they arrive (every ``sync_interval_s``), so they are
searchable during the import, and saves the index when the job ends. ``in_process=True`` runs jobs
on a thread of the service instead (tests, or a pipeline built by hand).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from corpora.recommendation_files import detect_format, read_recommendations
from corpora.tables import count_rows as count_table_rows
from nlp.pipeline import Pipeline
from service.config import Settings
from service.import_worker import ImportJob, import_job, run_import_job

logger = logging.getLogger(__name__)


class ImportJobs:
    def __init__(
        self,
        pipeline: Pipeline,
        settings: Settings,
        in_process: bool = False,
        nice: int = 10,
        sync_interval_s: float = 1.0,
    ) -> None:
        self.pipeline = pipeline
        self.settings = settings
        self.in_process = in_process
        #: how much lower than the service the import runs (Linux: thread or process nice value)
        self.nice = nice
        self.sync_interval_s = sync_interval_s
        self.upload_dir = settings.home / "uploads"
        self.upload_dir.mkdir(parents=True, exist_ok=True)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import")
        self._stopping = threading.Event()
        self.futures: dict[int, Future] = {}

    def upload_path(self, filename: str) -> Path:
        """A fresh path for an upload, keeping the file's extension (format detection uses it)."""
        suffix = "".join(Path(filename or "upload").suffixes[-2:])[:16]
        return self.upload_dir / f"{uuid.uuid4().hex}{suffix}"

    def count_rows(self, path: Path, fmt: str) -> int:
        """Rows of a file (valid and rejected); raises :class:`FileFormatError` for an unreadable file.

        Only the first row is read in full (a file-level error shows there); the others are counted
        cheaply where the format allows: a full read holds the interpreter for a second per 10,000
        rows, and the service's searches wait meanwhile."""
        rows = read_recommendations(path, fmt, max_text_chars=self.settings.max_text_chars)
        if next(rows, None) is None:
            return 0
        kind = detect_format(path) if fmt == "auto" else fmt
        counted = count_table_rows(path, "csv" if kind in ("upr-info", "ohchr") else kind)
        return counted if counted is not None else 1 + sum(1 for _ in rows)

    def submit(self, import_id: int, path: Path, source: str, fmt: str) -> None:
        job = ImportJob(import_id, str(path), source, fmt)
        run = self._run_in_thread if self.in_process else self._run_in_worker
        self.futures[import_id] = self._executor.submit(run, job)

    def as_seen(self, job: dict) -> dict:
        """An import record as clients see it: rows all stored is not yet ``done`` while the job still
        indexes or re-clusters them."""
        future = self.futures.get(job["id"])
        if job["status"] == "done" and future is not None and not future.done():
            return {**job, "status": "running"}
        return job

    def _run_in_thread(self, job: ImportJob) -> None:
        _lower_this_threads_priority(self.nice)
        import_job(self.pipeline, job, self.settings)  # a failure is recorded; the service lives on

    def _run_in_worker(self, job: ImportJob) -> None:
        if self._stopping.is_set():
            return
        synced = self.pipeline.store.max_pk()
        worker = multiprocessing.get_context("spawn").Process(
            target=run_import_job,
            args=(self.settings.model_dump(mode="json"), job),
            name=f"tawsiya-import-{job.import_id}",
            daemon=True,
        )
        worker.start()
        _lower_priority(worker.pid, self.nice)  # at once: loading the model costs seconds of CPU too
        try:
            while worker.is_alive() and not self._stopping.is_set():
                worker.join(self.sync_interval_s)
                synced = self.pipeline.index_stored_after(synced)
            if worker.is_alive():  # the service is stopping: the import is resumable
                worker.terminate()
                worker.join(10)
            self.pipeline.index_stored_after(synced)
        finally:
            self.pipeline.save_index()
        if worker.exitcode:
            lost = self.pipeline.store.imports.interrupt_unfinished(among=[job.import_id])
            if lost:
                logger.error(
                    "the worker of import %d stopped (exit code %s); resume it with POST /imports/%d/resume",
                    job.import_id,
                    worker.exitcode,
                    job.import_id,
                )

    def shutdown(self) -> None:
        self._stopping.set()
        self._executor.shutdown(wait=True, cancel_futures=True)


def _lower_this_threads_priority(nice: int) -> None:
    """Searches come first: an import runs for minutes, a search must answer in milliseconds. On
    Linux a thread has its own nice value; elsewhere this does nothing."""
    _lower_priority(threading.get_native_id(), nice)


def _lower_priority(pid: int | None, nice: int) -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, pid or 0, nice)
    except (AttributeError, OSError):
        logger.debug("cannot lower the priority of %s here", pid)

"""Import jobs of the web service: uploads kept on disk and imported one at a time in the background.

An upload is recorded (``queued``) with the path of the kept file before the job starts, so that an
import cut short (a crash, a kill) is marked ``interrupted`` at the next start and can be resumed:
its rows run again and those already stored are skipped (ids make that exact).
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from corpora.recommendation_files import FileFormatError, read_recommendations
from nlp.pipeline import Pipeline

logger = logging.getLogger(__name__)


class ImportJobs:
    def __init__(
        self, pipeline: Pipeline, upload_dir: Path, batch_size: int, max_text_chars: int, nice: int = 10
    ) -> None:
        self.pipeline = pipeline
        #: how much lower than the request threads the import thread is scheduled (Linux)
        self.nice = nice
        self.upload_dir = upload_dir
        self.upload_dir.mkdir(parents=True, exist_ok=True)
        self.batch_size = batch_size
        self.max_text_chars = max_text_chars
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import")
        self.futures: dict[int, Future] = {}

    def upload_path(self, filename: str) -> Path:
        """A fresh path for an upload, keeping the file's extension (format detection uses it)."""
        suffix = "".join(Path(filename or "upload").suffixes[-2:])[:16]
        return self.upload_dir / f"{uuid.uuid4().hex}{suffix}"

    def count_rows(self, path: Path, fmt: str) -> int:
        """Rows of a file (valid and rejected); raises :class:`FileFormatError` for an unreadable file."""
        return sum(1 for _ in read_recommendations(path, fmt, max_text_chars=self.max_text_chars))

    def submit(self, import_id: int, path: Path, source: str, fmt: str) -> None:
        self.futures[import_id] = self._executor.submit(self._run, import_id, path, source, fmt)

    def _run(self, import_id: int, path: Path, source: str, fmt: str) -> None:
        _lower_this_threads_priority(self.nice)
        try:
            rows = read_recommendations(path, fmt, max_text_chars=self.max_text_chars)
            self.pipeline.import_rows(rows, source, fmt, batch_size=self.batch_size, import_id=import_id)
        except FileFormatError as error:
            self.pipeline.store.fail_import(import_id, str(error))
        except Exception:  # the import record says failed (Importer.run); keep the service alive
            logger.exception("import %d failed", import_id)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


def _lower_this_threads_priority(nice: int) -> None:
    """Searches come first: an import runs for minutes, a search must answer in milliseconds. On
    Linux a thread has its own nice value; elsewhere this does nothing."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
    except (AttributeError, OSError):
        logger.debug("cannot lower the import thread's priority here")

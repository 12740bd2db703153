"""The import worker process: runs one import job of the web service over the shared store.

It builds its own pipeline from the service's settings (model, taggers, mapper with the stored
corrections, clusterer) but no index: the service keeps the only index and adds the rows this
process commits (see :class:`service.jobs.ImportJobs`). The worker runs at a lower priority and
stops if the service that started it dies, so a killed service never leaves an import writing
behind its back (the import is then ``interrupted`` and resumable).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nlp.pipeline import Pipeline
    from service.config import Settings

logger = logging.getLogger(__name__)
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class ImportJob:
    import_id: int
    path: str
    source: str
    fmt: str


def run_import_job(settings_values: dict[str, Any], job: ImportJob) -> None:
    """Entry point of the worker process (``multiprocessing`` spawn target; the service lowers its
    priority as it starts)."""
    _stop_with_parent(os.getppid())
    from nlp.threads import limit_threads_per_call
    from service.config import Settings
    from service.factory import build_pipeline

    settings = Settings(**settings_values)
    # one core for the import, the others for the searches (no BLAS or OpenMP threads spinning there)
    limit_threads_per_call(settings.encoder_threads or 1)
    pipeline = build_pipeline(settings, with_index=False)
    try:
        succeeded = import_job(pipeline, job, settings)
    finally:
        pipeline.close()
    if not succeeded:
        sys.exit(1)


def import_job(pipeline: Pipeline, job: ImportJob, settings: Settings) -> bool:
    """Run one import job over ``pipeline`` (in the worker, or on a thread of the service); an
    unreadable file fails the import with its reason. ``False`` when the import broke off."""
    from corpora.recommendation_files import FileFormatError, read_recommendations

    try:
        rows = read_recommendations(Path(job.path), job.fmt, max_text_chars=settings.max_text_chars)
        pipeline.import_rows(rows, job.source, job.fmt, batch_size=settings.import_batch_size, import_id=job.import_id)
    except FileFormatError as error:
        pipeline.store.imports.fail(job.import_id, str(error))
    except Exception:  # the import record says failed (Importer.run)
        logger.exception("import %d failed", job.import_id)
        return False
    return True


def _stop_with_parent(parent: int, every_s: float = 0.5) -> None:
    """Die with the parent: on Linux the kernel sends SIGKILL the moment the parent dies (so no row is
    committed after a kill -9 of the service); elsewhere a thread exits once the parent is gone."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) == 0:
            if os.getppid() != parent:  # died before the request took effect
                os._exit(3)
            return
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every_s)
        os._exit(3)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()

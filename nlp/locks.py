"""A lock that holds across the threads of one process and across processes sharing a store folder.

Re-clustering reads a state's decisions and writes its clusters back; a coordinator's merge or
split in between would be lost. The web service re-clusters in its import worker process while its
request threads record decisions, so both take this lock (``flock`` on a file in the store folder;
where ``fcntl`` is missing, only the threads of one process are serialised).
"""

from __future__ import annotations

import threading
from pathlib import Path
from types import TracebackType

try:
    import fcntl
except ImportError:  # not POSIX
    fcntl = None


class StoreLock:
    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._thread_lock = threading.Lock()
        self._handle = None

    def __enter__(self) -> StoreLock:
        self._thread_lock.acquire()
        if self.path is not None and fcntl is not None:
            try:
                self._handle = self.path.open("a")
                fcntl.flock(self._handle, fcntl.LOCK_EX)
            except BaseException:
                self._release_file()
                self._thread_lock.release()
                raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._release_file()
        self._thread_lock.release()

    def _release_file(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing the file releases the flock
            self._handle = None


class ReadWriteLock:
    """Many readers at once, or one writer (searches read an index side by side; adding waits)."""

    def __init__(self) -> None:
        self._condition = threading.Condition(threading.Lock())
        self._readers = 0
        self._writing = False

    def reading(self) -> _Held:
        return _Held(self._acquire_read, self._release_read)

    def writing(self) -> _Held:
        return _Held(self._acquire_write, self._release_write)

    def _acquire_read(self) -> None:
        with self._condition:
            self._condition.wait_for(lambda: not self._writing)
            self._readers += 1

    def _release_read(self) -> None:
        with self._condition:
            self._readers -= 1
            if not self._readers:
                self._condition.notify_all()

    def _acquire_write(self) -> None:
        with self._condition:
            self._condition.wait_for(lambda: not self._writing)
            self._writing = True  # new readers wait from here on
            self._condition.wait_for(lambda: not self._readers)

    def _release_write(self) -> None:
        with self._condition:
            self._writing = False
            self._condition.notify_all()


class _Held:
    def __init__(self, acquire, release) -> None:
        self._acquire = acquire
        self._release = release

    def __enter__(self) -> None:
        self._acquire()

    def __exit__(self, *exc_info: object) -> None:
        self._release()

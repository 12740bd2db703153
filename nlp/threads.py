"""Threads of the numeric libraries, for a process that serves many requests side by side.

FAISS (OpenMP) and NumPy (BLAS) each start as many threads per call as there are cores. A service
already runs concurrent searches, one per core, so more threads per call only make them wait for
each other: on 2 cores a 52k-vector exact search takes 8 ms on one thread and 12 ms on two.
"""

from __future__ import annotations

import faiss
from threadpoolctl import threadpool_limits


def limit_threads_per_call(threads: int) -> None:
    """Process-wide: ``threads`` OpenMP threads per FAISS call and BLAS threads per NumPy call."""
    faiss.omp_set_num_threads(threads)
    threadpool_limits(limits=threads, user_api="blas")

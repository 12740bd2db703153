"""The ``tawsiya`` command line: import files, search, tag, cluster, assign bodies, serve the API.

Every command takes ``--store DIR`` (default ``$TAWSIYA_HOME`` or ``~/.local/share/tawsiya``). The
commands live in the modules of this package by subject; importing them registers them on ``app``.
"""

from __future__ import annotations

import logging

from service.cli.common import app

__all__ = ["app", "main"]

# importing the modules registers their commands, in the order --help lists them
from service.cli import recommendations, clusters, ministries, access  # noqa: E402, F401, I001


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()

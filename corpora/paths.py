"""Where the public data files live, relative to the configurable data directory."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

UPR_INFO_DEV = Path("upr-info-2018/upr_info_2018_dev.csv")
UPR_INFO_ISSUES = Path("upr-info-2018/upr_info_issues_vocabulary.csv")
OHCHR_THEMATIC_LISTS = Path("ohchr-thematic-lists/ohchr_thematic_lists_cycle2.csv")
SDG_MULTILINGUAL = Path("sdg/sdg_goals_targets_multilingual.csv")
SDG_BENCHMARK = Path("sdg-benchmark/benchmark.csv")


class DataFileMissingError(FileNotFoundError):
    """A public data file is not where the data directory says it should be."""


def default_data_dir() -> Path:
    """``$TAWSIYA_DATA_DIR`` if set, else ``../shared/data`` beside the project folder."""
    configured = os.environ.get("TAWSIYA_DATA_DIR")
    return Path(configured).expanduser() if configured else (PROJECT_ROOT.parent / "shared" / "data")


def data_file(data_dir: str | Path | None, relative: Path) -> Path:
    """Resolve ``relative`` inside the data directory, with a clear error if it is missing."""
    base = Path(data_dir).expanduser() if data_dir else default_data_dir()
    path = base / relative
    if not path.is_file():
        raise DataFileMissingError(
            f"{path} not found: set TAWSIYA_DATA_DIR (or --data-dir) to the folder holding {relative.parts[0]}/"
        )
    return path


def project_relative(path: Path) -> str:
    """``path`` relative to the project when it lies inside it (as recorded in model configs), else as given."""
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)

"""Training scripts (``python -m training.<task>``) that write versioned model folders under ``models/``."""

from pathlib import Path

#: the data the training scripts learn from, written for this project (``training/data/``)
TRAINING_DATA = Path(__file__).resolve().parent / "data"

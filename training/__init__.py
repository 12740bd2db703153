"""Training scripts (``python -m training.<task>``) that write versioned model folders under ``models/``."""

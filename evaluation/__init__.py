"""Evaluators and benchmarks, each runnable as ``python -m evaluation.<task>``."""

"""Loaders for the public reference data and for recommendation files.

Nothing here is copied from the data directory into the repository: every loader takes the data
directory (default ``../shared/data``, see :func:`corpora.paths.default_data_dir`) as an argument.
"""

"""Persistence: SQLite through SQLAlchemy 2, holding recommendations, embeddings, imports, clusters and tags."""

from nlp.store.repository import Store

__all__ = ["Store"]

"""Persistence: SQLite (or any SQLAlchemy 2 database) holding recommendations, embeddings and imports."""

from nlp.store.repository import Store, StoredVectorCache

__all__ = ["Store", "StoredVectorCache"]

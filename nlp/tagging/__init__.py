"""Taggers that label recommendations from the embeddings computed at import."""

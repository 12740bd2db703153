"""Tawsiya's core library: text handling, embeddings, the vector index, the store, import and search.

Nothing here imports web code; the CLI and the HTTP service in ``service/`` are shells over it.
"""

"""The shells around the core: configuration, the ``tawsiya`` command line and the FastAPI service."""

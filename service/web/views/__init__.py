"""One module of pages per part of the workspace."""

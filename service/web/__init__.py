"""The coordinator's web workspace: server-rendered pages over the service's own API."""

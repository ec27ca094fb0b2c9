"""The local web app and HTTP API (``spinlens serve``)."""

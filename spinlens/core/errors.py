"""Errors that reach a user as one clear line, never as a traceback."""

from __future__ import annotations


class SpinlensError(Exception):
    """Base class: the message is written for the person running spinlens."""


class InputError(SpinlensError):
    """The article could not be read or is not something spinlens can analyse."""


class FetchError(InputError):
    """A URL could not be fetched, or was refused (private address, too large, ...)."""


class ModelError(SpinlensError):
    """A trained model is missing, corrupt or was built for other labels."""


class DataError(SpinlensError):
    """A training or evaluation data folder is missing files or malformed."""


class OffsetError(SpinlensError, ValueError):
    """A finding's offsets do not lie inside the article text."""

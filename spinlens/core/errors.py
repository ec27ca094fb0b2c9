"""Errors that reach a user as one clear line, never as a traceback."""

from __future__ import annotations


class SpinlensError(Exception):
    """Base class: the message is written for the person running spinlens."""


class InputError(SpinlensError):
    """The article could not be read or is not something spinlens can analyse."""


class NotEnglishError(InputError):
    """Text refused because it is not English. ``refusal`` says so without advice, so that each
    front end can say how to ask for it anyway; the message itself gives the command line's way."""

    def __init__(self, refusal: str) -> None:
        super().__init__(refusal)  # args stay (refusal,): the error crosses process boundaries pickled
        self.refusal = refusal

    def __str__(self) -> str:
        return self.advising("Use --allow-non-english to analyse it anyway")

    def advising(self, advice: str) -> str:
        return f"{self.refusal}. {advice} (results will be unreliable)"


class FetchError(InputError):
    """A URL could not be fetched, or was refused (private address, too large, ...)."""


class ModelError(SpinlensError):
    """A trained model is missing, corrupt or was built for other labels."""


class DataError(SpinlensError):
    """A training or evaluation data folder is missing files or malformed."""


class OffsetError(SpinlensError, ValueError):
    """A finding's offsets do not lie inside the article text."""

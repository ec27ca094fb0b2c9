"""Pipelines the web tests run inside the real analysis worker processes (``WebSettings.pipeline_factory``).

``light_pipeline`` keeps the real spaCy parse and the real sourcing, entity and
verdict analysers, and replaces the trained technique and genre models with a
small keyword marker, so the web tests do not depend on trained models and
their findings are predictable. The factories are imported by name in each
spawned worker, so they must stay top-level functions of an importable module.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any, ClassVar

from spinlens.analysers.base import Context
from spinlens.core.settings import technique_family
from spinlens.pipeline import Pipeline

# word -> technique; the reason names the word, so tests can check the reason reached the page.
KEYWORDS = {
    "reckless": "Loaded_Language",
    "disaster": "Exaggeration-Minimisation",
    "traitors": "Name_Calling-Labeling",
    "either we": "False_Dilemma-No_Choice",
}
SLEEP_MARKER = re.compile(r"\[\[sleep (\d+(?:\.\d+)?)\]\]")

PUBLIC_IP = "93.184.215.14"  # a global address; the worker routes connections to it to 127.0.0.1
PUBLIC_HOST = "news.example"
REBINDING_SUFFIX = ".rebind.example"


class KeywordTechniques:
    """Marks a few loaded words as techniques and calls everything a news report."""

    name: ClassVar[str] = "keyword_techniques"
    version: ClassVar[int] = 1
    requires: ClassVar[tuple[str, ...]] = ("paragraphs",)
    assigns: ClassVar[tuple[str, ...]] = ("techniques", "genre")

    def __call__(self, ctx: Context) -> None:
        analysis = ctx.analysis
        text = analysis.article.text
        # Lets a test hold a worker busy, to exercise the per-request time limit.
        marker = SLEEP_MARKER.search(text)
        if marker:
            time.sleep(float(marker.group(1)))
        for paragraph in ctx.paragraphs:
            for word, label in KEYWORDS.items():
                for match in re.finditer(re.escape(word), paragraph.text, flags=re.IGNORECASE):
                    start = paragraph.start + match.start()
                    analysis.add_finding(
                        "technique",
                        label,
                        start,
                        start + len(word),
                        score=0.75,
                        reason=f"The word {match.group()!r} is a keyword for this technique in the double.",
                        analyser=f"{self.name}@{self.version}",
                        details={"family": technique_family(label), "line": paragraph.line, "cues": [word]},
                    )
        analysis.add_label(
            "genre",
            "reporting",
            score=0.6,
            reason="The test double calls everything a report.",
            analyser=f"{self.name}@{self.version}",
        )


def light_pipeline(profile: str = "default", models_dir: Path | None = None) -> Pipeline:
    from spinlens.analysers.entities import EntityAnalyser
    from spinlens.analysers.sourcing import SourcingAnalyser
    from spinlens.analysers.verdict import VerdictAnalyser
    from spinlens.nlp.spacy_model import load_spacy

    return Pipeline(
        [SourcingAnalyser(), EntityAnalyser(), KeywordTechniques(), VerdictAnalyser()], load_spacy(), profile
    )


def light_pipeline_with_public_dns(profile: str = "default", models_dir: Path | None = None) -> Pipeline:
    """The light pipeline in a worker where ``news.example`` is a public host served from 127.0.0.1.

    Names ending in ``.rebind.example`` answer a public address on their first
    lookup and 127.0.0.2 (where nothing listens) afterwards, as a rebinding
    attacker's DNS would: a fetch that looked the name up again would fail.
    This patches the worker process only, exactly as tests/test_ingest_fetch.py
    patches its own process.
    """
    from spinlens.ingest import fetch

    real_connect = fetch.connect_address
    real_resolve = fetch.resolve_host
    lookups: dict[str, int] = {}

    def route(backend: Any, address: str, port: int, *args: Any) -> Any:
        return real_connect(backend, "127.0.0.1" if address == PUBLIC_IP else address, port, *args)

    def resolve(host: str, port: int) -> list[str]:
        lookups[host] = lookups.get(host, 0) + 1
        if host == PUBLIC_HOST:
            return [PUBLIC_IP]
        if host.endswith(REBINDING_SUFFIX):
            return [PUBLIC_IP] if lookups[host] == 1 else ["127.0.0.2"]
        return real_resolve(host, port)

    fetch.connect_address = route  # type: ignore[assignment]
    fetch.resolve_host = resolve
    return light_pipeline(profile, models_dir)


def light_pipeline_offline(profile: str = "default", models_dir: Path | None = None) -> Pipeline:
    """The light pipeline in a worker where every host name resolves to 192.0.2.1 (a documentation address).

    Fuzzed URLs are then refused at once as non-public instead of waiting on DNS that cannot answer offline.
    """
    from spinlens.ingest import fetch

    def resolve(host: str, port: int) -> list[str]:
        return ["192.0.2.1"]

    fetch.resolve_host = resolve
    return light_pipeline(profile, models_dir)

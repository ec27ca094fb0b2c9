"""The one explicit list of analysers and the order each profile runs them in.

Kept in a single module on purpose: no import-time registration scattered over
files, so a reader sees the whole pipeline here.
"""

from __future__ import annotations

from pathlib import Path

from spinlens.analysers.base import Analyser

PROFILES = ("default",)


def build_analysers(profile: str = "default", models_dir: Path | None = None) -> list[Analyser]:
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    from spinlens.analysers.entities import EntityAnalyser
    from spinlens.analysers.sourcing import SourcingAnalyser
    from spinlens.analysers.techniques import GenreFramesAnalyser, TechniqueAnalyser
    from spinlens.analysers.verdict import VerdictAnalyser
    from spinlens.models.store import load_semeval2023

    models = load_semeval2023(models_dir)
    return [
        SourcingAnalyser(),
        EntityAnalyser(),
        TechniqueAnalyser(models),
        GenreFramesAnalyser(models),
        VerdictAnalyser(),
    ]

"""How an article casts the people, organisations, places and groups it names.

For each entity found by the entities analyser, two questions, in this order:

1. *Is it cast at all?* SemEval-2025 annotators gave roles to a minority of the
   named entities of an article (about one in four of spaCy's entities in the
   annotated articles). A salience model (how often and how early the entity is
   named, whether in the title, in what share of sentences) gives the probability
   that an entity is one the article casts; below the threshold tuned for F1 on
   inner folds of the training data, the entity gets no role. Claiming a hero or
   a villain in every name would drown the few that matter.
   Articles that push none of the narratives get no roles at all (see ``__call__``).
2. *As what?* Each of the entity's mentions is classified from the words around
   it (main role: Protagonist, Antagonist or Innocent; then one of that role's
   fine roles); the mention probabilities are averaged over the entity, and the
   reason quotes the sentence of the mention that argues most for the result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np

from spinlens.analysers.base import Context
from spinlens.models.semeval2025 import mention_features, salience_features

if TYPE_CHECKING:
    from spinlens.core.model import Entity
    from spinlens.models.semeval2025 import NarrativeModel, RoleModel, Semeval2025Models

NAME = "roles"
VERSION = 1
# Enough mentions to read how the article treats an entity; a long article's
# 40th "Russia" adds cost but little.
MAX_MENTIONS = 8
_QUOTE_CHARS = 180


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 1].rstrip() + "…"


class RoleAnalyser:
    name: ClassVar[str] = NAME
    version: ClassVar[int] = VERSION
    requires: ClassVar[tuple[str, ...]] = ("doc", "entities")
    assigns: ClassVar[tuple[str, ...]] = ("roles",)

    def __init__(self, models: Semeval2025Models) -> None:
        self.model: RoleModel = models.roles
        self.narratives: NarrativeModel = models.narratives

    def __call__(self, ctx: Context) -> None:
        doc = ctx.doc
        entities = ctx.analysis.entities
        if doc is None or not entities:
            return
        text = ctx.analysis.article.text
        scores = self.narratives.scores([text])
        if scores.other[0] >= self.narratives.thresholds.other:
            # No narrative, no cast: three in four annotated articles without a narrative have no
            # roles at all, and a librarian in a notice about opening hours is nobody's villain.
            return
        domain = "CC" if scores.climate[0] >= 0.5 else "UA"
        sentence_starts = [s.start_char for s in doc.sents]
        first_line_end = text.find("\n") if "\n" in text else len(text)
        for entity in entities:
            self._cast(entity, ctx, domain, sentence_starts, first_line_end)

    def _cast(
        self, entity: Entity, ctx: Context, domain: str, sentence_starts: list[int], first_line_end: int
    ) -> None:
        doc = ctx.doc
        assert doc is not None
        spans = [(m.start, m.end) for m in entity.mentions if m.end > m.start]
        if not spans:
            return
        in_sentences = {int(np.searchsorted(sentence_starts, s, side="right")) for s, _ in spans}
        salience = float(
            self.model.salience.probabilities(
                np.array(
                    [
                        salience_features(
                            len(ctx.analysis.article.text),
                            entity.type,
                            spans,
                            first_line_end,
                            len(sentence_starts),
                            len(in_sentences),
                            entity.name.lower(),
                        )
                    ]
                )
            )[0]
        )
        if salience < self.model.salience_threshold:
            return
        used = sorted(spans)[:MAX_MENTIONS]
        features = [mention_features(doc, s, e, [m for m in spans if m != (s, e)], domain) for s, e in used]
        main_probs, fine_probs = self.model.distributions(features)
        mean_main = main_probs.mean(axis=0)
        mean_fine = {role: probs.mean(axis=0) for role, probs in fine_probs.items()}
        prediction = self.model.combine(mean_main, mean_fine)
        # The mention that argues most for this role is the one quoted.
        main_index = self.model.main.labels.index(prediction.main)
        fine_index = self.model.fine[prediction.main].labels.index(prediction.fine[0])
        support = main_probs[:, main_index] * fine_probs[prediction.main][:, fine_index]
        best = int(np.argmax(support))
        start, end = used[best]
        sentence = doc.char_span(start, end, alignment_mode="expand")
        quoted = sentence.sent if sentence is not None and len(sentence) else None
        fine = prediction.fine[0]
        reason = f"cast as {fine} ({prediction.main.lower()})"
        if quoted is not None:
            reason += f': "{_quote(quoted.text)}"'
        entity.roles = [
            {
                "main": prediction.main,
                "fine": list(prediction.fine),
                "score": round(prediction.main_probability, 3),
                "reason": reason,
                "salience": round(salience, 3),
                "main_distribution": {k: round(v, 3) for k, v in prediction.distribution.items()},
                "evidence": (
                    {"start": quoted.start_char, "end": quoted.end_char, "text": quoted.text}
                    if quoted is not None
                    else None
                ),
            }
        ]

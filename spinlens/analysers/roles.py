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
   fine roles, which also reads a MiniLM embedding of the mention's sentence);
   the mention probabilities are averaged over the entity, and the reason quotes
   the sentence of the mention that argues most for the result. Embedding costs
   about 4 ms a sentence on one core, so an article gets at most
   ``EMBEDDED_SENTENCES`` distinct sentences embedded, given to the most salient
   entities first; an entity's fine roles are read from its embedded mentions,
   or from the words alone when none of its sentences made the cut.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from spinlens.analysers.base import Context
from spinlens.analysers.narratives import narrative_decision
from spinlens.models import card_digest
from spinlens.models.semeval2025 import mention_features, mention_sentence, salience_features

if TYPE_CHECKING:
    from spinlens.core.model import Entity
    from spinlens.models.semeval2025 import NarrativeModel, RoleModel, Semeval2025Models

NAME = "roles"
# 5: decided from the narrative scores of round 26. 6: fine roles read closeness to role descriptions.
# 7: no cast in an article that never names the war in Ukraine or climate change (names_topic).
VERSION = 7
# Enough mentions to read how the article treats an entity; a long article's
# 40th "Russia" adds cost but little.
MAX_MENTIONS = 8
# Keeps narratives + roles within about 60 ms for a 5,000-character article on one core.
EMBEDDED_SENTENCES = 4
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
        self.model_version = card_digest(models.card)
        self.model: RoleModel = models.roles
        self.narratives: NarrativeModel = models.narratives

    def __call__(self, ctx: Context) -> None:
        doc = ctx.doc
        entities = ctx.analysis.entities
        if doc is None or not entities:
            return
        text = ctx.analysis.article.text
        # The narrative analyser's decision in the default profile, topic check included.
        decision = narrative_decision(ctx, self.narratives, embed=True)
        if decision.is_other:
            # No narrative, no cast: three in four annotated articles without a narrative have no
            # roles at all, and a librarian in a notice about opening hours is nobody's villain.
            return
        domain = decision.prediction.domain
        sentence_starts = [s.start_char for s in doc.sents]
        first_line_end = text.find("\n") if "\n" in text else len(text)
        cast: list[tuple[Entity, list[tuple[int, int]], float]] = []
        for entity in entities:
            spans = [(m.start, m.end) for m in entity.mentions if m.end > m.start]
            if not spans:
                continue
            salience = self._salience(entity, spans, ctx, sentence_starts, first_line_end)
            if salience >= self.model.salience_threshold:
                cast.append((entity, sorted(spans)[:MAX_MENTIONS], salience))
        if not cast:
            return
        chosen: dict[str, int] = {}
        embedded: list[list[tuple[int, str]]] = []  # per cast entity: (mention index, sentence)
        for _, used, _ in sorted(cast, key=lambda item: -item[2]):
            picks: list[tuple[int, str]] = []
            for k, (s, e) in enumerate(used):
                sentence = mention_sentence(doc, s, e)
                if sentence not in chosen and len(chosen) < EMBEDDED_SENTENCES:
                    chosen[sentence] = len(chosen)
                if sentence in chosen:
                    picks.append((k, sentence))
            embedded.append(picks)
        vectors = self.model.embed_sentences(list(chosen))
        by_salience = sorted(range(len(cast)), key=lambda i: -cast[i][2])
        for order, i in enumerate(by_salience):
            entity, used, salience = cast[i]
            picks = embedded[order]
            rows = [k for k, _ in picks]
            block = None if vectors is None or not picks else vectors[[chosen[t] for _, t in picks]]
            self._cast(entity, used, salience, rows, block, ctx, domain)

    def _salience(
        self,
        entity: Entity,
        spans: list[tuple[int, int]],
        ctx: Context,
        sentence_starts: list[int],
        first_line_end: int,
    ) -> float:
        in_sentences = {bisect_right(sentence_starts, s) for s, _ in spans}
        return float(
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

    def _cast(
        self,
        entity: Entity,
        used: list[tuple[int, int]],
        salience: float,
        embedded_rows: list[int],
        embeddings: np.ndarray | None,
        ctx: Context,
        domain: str,
    ) -> None:
        doc = ctx.doc
        assert doc is not None
        spans = [(m.start, m.end) for m in entity.mentions if m.end > m.start]
        features = [mention_features(doc, s, e, [m for m in spans if m != (s, e)], domain) for s, e in used]
        main_probs, fine_probs = self.model.distributions(features)
        fine_rows = list(range(len(used)))
        if embeddings is not None:
            # Fine roles from the mentions whose sentence was embedded: the words alone read worse.
            _, fine_probs = self.model.distributions([features[k] for k in embedded_rows], embeddings)
            fine_rows = embedded_rows
        mean_main = main_probs.mean(axis=0)
        mean_fine = {role: probs.mean(axis=0) for role, probs in fine_probs.items()}
        prediction = self.model.combine(mean_main, mean_fine)
        # The mention that argues most for this role is the one quoted.
        main_index = self.model.main.labels.index(prediction.main)
        fine_index = self.model.fine[prediction.main].labels.index(prediction.fine[0])
        support = main_probs[fine_rows, main_index] * fine_probs[prediction.main][:, fine_index]
        start, end = used[fine_rows[int(np.argmax(support))]]
        sentence = doc.char_span(start, end, alignment_mode="expand")
        quoted = sentence.sent if sentence is not None and len(sentence) else None
        if quoted is not None:
            # spaCy keeps a title's line breaks in its sentence; the evidence is the words only.
            quoted = quoted[:-1] if len(quoted) > 1 and quoted[-1].is_space else quoted
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

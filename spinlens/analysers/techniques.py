"""Persuasion techniques, genre and frames from the SemEval-2023 models.

Both analysers work from the article text and its paragraphs only (no parse),
so they run in every profile.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING, ClassVar

from spinlens.analysers.base import TECHNIQUE_ENCODING, Context, article_embedding
from spinlens.core.settings import humanise, technique_family
from spinlens.features.cues import CUES, find_cues
from spinlens.features.valence import valence_bucket

if TYPE_CHECKING:
    from spinlens.models.predictions import ParagraphPrediction, SpanPrediction
    from spinlens.models.semeval2023 import Semeval2023Models
    from spinlens.models.technique_encoder import TechniqueEncoder

# What each technique does, phrased to start a reason sentence.
DESCRIPTIONS: dict[str, str] = {
    "Appeal_to_Authority": "Leans on the word of an authority",
    "Appeal_to_Fear-Prejudice": "Plays on fear or prejudice",
    "Appeal_to_Hypocrisy": "Attacks the target for hypocrisy rather than the argument",
    "Appeal_to_Popularity": "Argues that something is right because many agree",
    "Appeal_to_Time": "Presses for action because time is short",
    "Appeal_to_Values": "Invokes values the reader is assumed to share",
    "Causal_Oversimplification": "Pins a complex outcome on a single cause",
    "Consequential_Oversimplification": "Claims one step will set off a chain of consequences",
    "Conversation_Killer": "Shuts the discussion down",
    "Doubt": "Casts doubt on someone's credibility",
    "Exaggeration-Minimisation": "Overstates or plays down",
    "False_Dilemma-No_Choice": "Presents too few options",
    "Flag_Waving": "Appeals to national or group pride",
    "Guilt_by_Association": "Links the target to a disliked person or group",
    "Loaded_Language": "Emotionally charged wording",
    "Name_Calling-Labeling": "A label meant to make its target look bad",
    "Obfuscation-Vagueness-Confusion": "Deliberately vague wording",
    "Questioning_the_Reputation": "Attacks the target's reputation",
    "Red_Herring": "Diverts attention to an unrelated point",
    "Repetition": "Repeats wording used elsewhere in the article",
    "Slogans": "A short, catchy phrase used in place of an argument",
    "Straw_Man": "Attacks a distorted version of the opposing view",
    "Whataboutism": "Deflects criticism by pointing at the other side",
}

# Techniques whose evidence is the emotional charge of single words.
CHARGED_WORD_TECHNIQUES = frozenset(
    {"Loaded_Language", "Name_Calling-Labeling", "Exaggeration-Minimisation", "Appeal_to_Fear-Prejudice"}
)

GENRE_DESCRIPTIONS: dict[str, str] = {
    "opinion": "argues a point of view",
    "reporting": "reports events, mostly through attributed statements",
    "satire": "mocks its subject through irony or invented events",
}


def _quoted(words: list[str]) -> str:
    return ", ".join(f"'{w}'" for w in words)


def _cue_words(text: str, label: str) -> list[str]:
    families = {name for name, (techniques, _) in CUES.items() if label in techniques}
    words: list[str] = []
    for cue in find_cues(text):
        if cue.cue in families and cue.text.lower() not in (w.lower() for w in words) and cue.text.isalpha():
            words.append(cue.text)
    return words


def _repeated_words(span_text: str, lowered_article: str) -> list[str]:
    words = []
    for word in dict.fromkeys(w.strip(".,;:!?\"“”'’()").lower() for w in span_text.split()):
        if len(word) > 3 and (count := lowered_article.count(word)) >= 2:
            words.append(f"{word}×{count}")
    return words


class TechniqueAnalyser:
    """Marks persuasion techniques on spans, and on whole paragraphs when no span pins them down.

    With an ``encoder`` (the fine-tuned MiniLM, default profile) spans and paragraph
    labels come from it; without one (fast profile) from the linear models.
    """

    name: ClassVar[str] = "techniques"
    version: ClassVar[int] = 2
    requires: ClassVar[tuple[str, ...]] = ("paragraphs",)
    assigns: ClassVar[tuple[str, ...]] = ("techniques",)

    def __init__(self, models: Semeval2023Models, encoder: TechniqueEncoder | None = None) -> None:
        self.models = models
        self.encoder = encoder

    @property
    def model_version(self) -> str:
        from spinlens.models import card_digest

        digest = card_digest(self.models.card)
        return digest if self.encoder is None else f"{digest}+encoder-{card_digest(self.encoder.card)}"

    def __call__(self, ctx: Context) -> None:
        analysis = ctx.analysis
        text = analysis.article.text
        if self.encoder is not None:
            from spinlens.models.technique_encoder import EncoderWithLinear

            encoder = self.encoder
            encoded = ctx.memo(TECHNIQUE_ENCODING, lambda: encoder.encode(ctx.paragraphs))
            output = EncoderWithLinear(encoder, self.models).predict_techniques(text, ctx.paragraphs, encoded)
        else:
            output = self.models.predict_techniques(text, ctx.paragraphs)
        ctx.scratch["techniques"] = output
        analyser = f"{self.name}@{self.version}"
        line_of = {p.start: p.line for p in ctx.paragraphs}
        # Looked up, not searched, per span: a long text has thousands of both.
        starts = [p.start for p in ctx.paragraphs]
        lowered = text.lower()
        covered: set[tuple[int, str]] = set()
        for span in output.spans:
            paragraph = ctx.paragraphs[bisect_right(starts, span.start) - 1] if starts else None
            if paragraph is None or not paragraph.start <= span.start < paragraph.end + 1:
                paragraph = None
            line = paragraph.line if paragraph else line_of.get(span.start, 0)
            covered.add((line, span.technique))
            cues = self._span_cues(span, text, lowered)
            analysis.add_finding(
                "technique",
                span.technique,
                span.start,
                span.end,
                score=round(span.score * span.span_score, 4),
                reason=self._span_reason(span, cues),
                analyser=analyser,
                details={
                    "family": technique_family(span.technique),
                    "line": line,
                    "cues": cues,
                    "scope": "span",
                    "span_score": round(span.span_score, 4),
                    "technique_score": round(span.score, 4),
                },
            )
        for para in output.paragraphs:
            for label in para.labels:
                if (para.line, label) in covered:
                    continue
                self._paragraph_finding(ctx, para, label, analyser)

    def _span_cues(self, span: SpanPrediction, text: str, lowered: str) -> list[str]:
        span_text = text[span.start : span.end]
        if span.technique == "Repetition":
            cues = _repeated_words(span_text, lowered)
            if cues:
                return cues[:3]
        cues = _cue_words(span_text, span.technique)
        if span.technique in CHARGED_WORD_TECHNIQUES:
            for word in span_text.split():
                word = word.strip(".,;:!?\"“”'’()")
                if valence_bucket(word.lower()) and word.lower() not in (c.lower() for c in cues):
                    cues.append(word)
        for word in span.evidence:
            if len(cues) >= 3:
                break
            if word.lower() not in (c.lower() for c in cues):
                cues.append(word)
        return cues[:3]

    @staticmethod
    def _span_reason(span: SpanPrediction, cues: list[str]) -> str:
        description = DESCRIPTIONS.get(span.technique, humanise(span.technique).capitalize())
        evidence = f" ({_quoted(cues)})" if cues else ""
        return (
            f"{description}{evidence} typical of {humanise(span.technique)}; model score "
            f"{span.score * span.span_score:.2f}"
        )

    def _paragraph_finding(self, ctx: Context, para: ParagraphPrediction, label: str, analyser: str) -> None:
        text = ctx.analysis.article.text[para.start : para.end]
        words = _cue_words(text, label)[:2]
        explained = para.evidence.get(label) or self.models.explain_paragraph(text, label, k=3)
        for word in explained:
            if len(words) >= 3:
                break
            if word.lower() not in (w.lower() for w in words):
                words.append(word)
        description = DESCRIPTIONS.get(label, humanise(label).capitalize())
        evidence = f", going by words such as {_quoted(words)}" if words else ""
        score = para.scores[label]
        ctx.analysis.add_finding(
            "technique",
            label,
            para.start,
            para.end,
            score=round(score, 4),
            reason=(
                f"{description} somewhere in this paragraph{evidence}, a pattern of {humanise(label)}; "
                f"model score {score:.2f}"
            ),
            analyser=analyser,
            details={
                "family": technique_family(label),
                "line": para.line,
                "cues": words,
                "scope": "paragraph",
            },
        )


class GenreFramesAnalyser:
    """Labels the article's genre (exactly one) and its frames (zero or more)."""

    name: ClassVar[str] = "genre_frames"
    version: ClassVar[int] = 2
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = ("genre", "frames")

    def __init__(self, models: Semeval2023Models, embed: bool = False) -> None:
        """``embed``: let the genre read a sentence embedding of the opening paragraphs (MiniLM)."""
        self.models = models
        self.embed = embed and models.articles.embedded_genre is not None

    @property
    def model_version(self) -> str:
        from spinlens.models import card_digest

        digest = card_digest(self.models.card)
        return f"{digest}+embedding" if self.embed else digest

    def __call__(self, ctx: Context) -> None:
        analysis = ctx.analysis
        text = analysis.article.text
        analyser = f"{self.name}@{self.version}"
        embeddings = article_embedding(ctx) if self.embed else None
        genre, genre_scores, frames, frame_scores = self.models.predict_article_labels([text], embeddings)[0]
        ordered_frames = sorted(frames, key=lambda f: -frame_scores[f])
        words, *frame_words = self.models.explain_article(
            text, [("genre", genre)] + [("frames", frame) for frame in ordered_frames]
        )
        evidence = f"; words pointing that way: {_quoted(words)}" if words else ""
        if embeddings is not None:
            evidence += ", and the register of its opening paragraphs (sentence embeddings)"
        analysis.add_label(
            "genre",
            genre,
            score=round(genre_scores[genre], 4),
            reason=f"Reads as {genre}: the text {GENRE_DESCRIPTIONS[genre]}{evidence}; model score "
            f"{genre_scores[genre]:.2f}",
            analyser=analyser,
            details={"scores": {k: round(v, 4) for k, v in genre_scores.items()}},
        )
        for frame, words in zip(ordered_frames, frame_words, strict=True):
            evidence = f" through words such as {_quoted(words)}" if words else ""
            analysis.add_label(
                "frame",
                frame,
                score=round(frame_scores[frame], 4),
                reason=f"Uses the {humanise(frame)} frame{evidence}; model score {frame_scores[frame]:.2f}",
                analyser=analyser,
                details={
                    "threshold": round(
                        float(self.models.articles.frame_thresholds[self.models.frame_labels.index(frame)]), 4
                    )
                },
            )

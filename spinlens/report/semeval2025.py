"""Writing SemEval-2025 Task 10 predictions in the official file formats.

* ``subtask-1-annotations.txt``: ``file, entity, start, end, main role, fine role[, fine role...]``,
  tab-separated, one row per input mention, in input order; ``end`` stays inclusive
  as in the input.
* ``subtask-2-annotations.txt``: ``file, narrative;narrative, subnarrative;subnarrative``,
  one row per document (sorted by file name), with the data's exact label strings and
  ``Other`` where no narrative applies.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from spinlens.core.errors import DataError
from spinlens.datasets.semeval2025 import anchor_mention, parse_mention_row, read_text
from spinlens.models.semeval2025 import (
    Semeval2025Models,
    entity_occurrences,
    mention_features,
    mention_sentence,
)
from spinlens.nlp.embed import article_paragraph_vectors

SUBTASK1_FILE = "subtask-1-annotations.txt"
SUBTASK2_FILE = "subtask-2-annotations.txt"
MAX_WARNINGS = 10  # then a count: a whole file of shifted offsets needs one look, not a thousand lines


def read_mentions(mentions_file: Path) -> list[tuple[str, str, int, int]]:
    """Rows ``(file, entity, start, end exclusive)``; a malformed row is a DataError naming its line."""
    try:
        content = Path(mentions_file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot read mentions file {mentions_file}: {exc}") from exc
    rows: list[tuple[str, str, int, int]] = []
    for number, row in enumerate(content.splitlines(), start=1):
        if not row.strip():
            continue
        file_name, entity, start, end, _, _ = parse_mention_row(
            row, f"{Path(mentions_file).name} line {number}", with_roles=False
        )
        rows.append((file_name, entity, start, end))
    return rows


def mention_warnings(
    mentions: list[tuple[str, str, int, int]], texts: dict[str, str], source: str
) -> list[str]:
    """What looks wrong in mentions that can still be predicted: the entity text is not at its
    offsets (nor a few characters off them), or a row is repeated."""
    warnings: list[str] = []
    seen: set[tuple[str, str, int, int]] = set()
    for number, mention in enumerate(mentions, start=1):
        file_name, entity, start, end = mention
        if mention in seen:
            warnings.append(f"{source}: mention {number} repeats an earlier row ({file_name}, {entity!r})")
        seen.add(mention)
        if anchor_mention(texts[file_name], entity, start, end) is None:
            found = texts[file_name][start:end]
            warnings.append(
                f"{source}: mention {number} says {entity!r} is at {start}-{end - 1} of {file_name}, "
                f"where the text is {found!r} (the end offset is inclusive); predicted there anyway"
            )
    if not mentions:
        warnings.append(f"{source} lists no mentions: {SUBTASK1_FILE} will be empty")
    return warnings


def write_semeval2025_predictions(
    docs_dir: Path,
    mentions_file: Path,
    out_dir: Path,
    models: Semeval2025Models,
    warn: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Predict narratives for every ``<ID>.txt`` in ``docs_dir`` and roles for every listed mention.

    ``warn`` receives what looks wrong but does not stop the predictions (see :func:`mention_warnings`).
    """
    from spinlens.nlp.spacy_model import load_spacy

    docs_dir = Path(docs_dir)
    files = sorted(p for p in docs_dir.glob("*.txt") if p.is_file())
    if not files:
        raise DataError(f"{docs_dir} holds no .txt documents")
    texts = {p.name: read_text(p) for p in files}
    mentions = read_mentions(mentions_file)
    for number, (file_name, entity, _, end) in enumerate(mentions, start=1):
        text = texts.get(file_name)
        if text is None:
            raise DataError(
                f"{Path(mentions_file).name}: mention {number} names {file_name}, which is not in {docs_dir}"
            )
        if end > len(text):
            raise DataError(
                f"{Path(mentions_file).name}: mention {number} ({entity!r}) ends at {end - 1}, "
                f"past the end of {file_name} ({len(text)} characters)"
            )

    if warn is not None:
        warnings = mention_warnings(mentions, texts, Path(mentions_file).name)
        for warning in warnings[:MAX_WARNINGS]:
            warn(warning)
        if len(warnings) > MAX_WARNINGS:
            warn(f"... and {len(warnings) - MAX_WARNINGS} more such warnings")

    names = list(texts)
    batch = [texts[n] for n in names]
    predictions = models.narratives.predict(batch, article_paragraph_vectors(batch) if batch else None)
    domains = {n: p.domain for n, p in zip(names, predictions, strict=True)}

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / SUBTASK2_FILE).open("w", encoding="utf-8", newline="\n") as handle:
        for name, prediction in zip(names, predictions, strict=True):
            narratives = ";".join(prediction.narrative_labels)
            subnarratives = ";".join(prediction.subnarrative_labels)
            handle.write(f"{name}\t{narratives}\t{subnarratives}\n")

    by_file: dict[str, list[int]] = defaultdict(list)
    for index, (file_name, _, _, _) in enumerate(mentions):
        by_file[file_name].append(index)
    rows: list[str] = [""] * len(mentions)
    if mentions:
        nlp = load_spacy()
        for file_name in sorted(by_file):
            text = texts[file_name]
            parsed = nlp(text)
            indices = by_file[file_name]
            features = []
            sentences = []
            for index in indices:
                _, entity, start, end = mentions[index]
                # Score the entity where it really is when the given offsets are a character or two off.
                start, end = anchor_mention(text, entity, start, end) or (start, end)
                mates = [o for o in entity_occurrences(text, entity) if o != (start, end)]
                features.append(mention_features(parsed, start, end, mates, domains[file_name]))
                sentences.append(mention_sentence(parsed, start, end))
            # Every given mention's sentence is embedded, as in cross-validation (analysis caps it for speed).
            embeddings = models.roles.embed_sentences(sentences)
            for index, role in zip(indices, models.roles.predict(features, embeddings), strict=True):
                _, entity, start, end = mentions[index]
                cells = [file_name, entity, str(start), str(end - 1), role.main, *role.fine]
                rows[index] = "\t".join(cells)
    with (out_dir / SUBTASK1_FILE).open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(row + "\n")
    return {"documents": len(names), "mentions": len(mentions)}

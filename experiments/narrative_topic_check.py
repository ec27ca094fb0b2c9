"""Narratives: what the topic check (`names_topic`, round 29) changes, on articles off and on the task's topics.

1. The 363 SemEval-2023 English articles (mostly 2016-2019 politics, no narrative labels): how many the shipped
   default-profile narrative model gives a narrative, and how many of those name the topic of its domain.
2. The SemEval-2025 English articles: which do not name the topic of their own (gold) domain.
3. The evaluation's out-of-fold decisions (seed 13, the shipped recipe refitted per fold): samples-F1 with and
   without the check.

    python experiments/narrative_topic_check.py        (about 3 min)
"""

import os
from pathlib import Path

from narrative_label_closeness_probe import DATA

import spinlens.train.semeval2025 as training
from spinlens.datasets.semeval2023 import load_dataset
from spinlens.datasets.semeval2025 import load_semeval2025 as load_data
from spinlens.evaluate.semeval2025 import _narrative_scores
from spinlens.models.semeval2025 import OTHER, load_semeval2025, names_topic
from spinlens.nlp.embed import article_paragraph_vectors
from spinlens.train.embedding_cache import embed_paragraphs_cached

ROOT = Path(os.environ.get("SPINLENS_DATA", "../shared/data"))
articles = sorted(load_dataset(ROOT / "semeval2023-task3" / "en").articles, key=lambda a: a.id)
texts = [a.text for a in articles]
shipped = load_semeval2025().narratives
given = [(a, p) for a, p in zip(articles, shipped.predict(texts, article_paragraph_vectors(texts))) if not p.is_other]
off = [(a, p) for a, p in given if not names_topic(a.text, p.domain)]
print(f"SemEval-2023: {len(given)} of {len(articles)} given a narrative, {len(off)} of them never name its topic")
for a, p in off:
    print(f"  {a.id} {p.narrative_labels[0]}: {a.text[:60]!r}")

data = load_data(DATA)
docs = [d for d in data.documents if d.narratives or d.mentions]
unnamed = [d for d in docs if d.narratives and not names_topic(d.text, d.domain)]
print(f"SemEval-2025: {sum(1 for d in docs if set(d.narratives) - {OTHER})} articles with a narrative; "
      f"not naming their own topic: {[(d.id, sorted(d.narratives)) for d in unnamed]}")

assignment = training.document_folds([training.document_stratum(d) for d in docs], 5, 13)
gold, plain, checked = [], [], []
for fold in range(5):
    model, _ = training.fit_narrative_model([d for d, f in zip(docs, assignment) if f != fold], data.taxonomy, 13)
    test = [d for d, f in zip(docs, assignment) if f == fold and d.narratives]
    held = [d.text for d in test]
    for d, p in zip(test, model.predict(held, embed_paragraphs_cached(held))):
        gold.append(d)
        plain.append((p.narrative_labels, p.subnarrative_labels))
        named = p.is_other or names_topic(d.text, p.domain)
        checked.append(plain[-1] if named else ([OTHER], [OTHER]))
        if not named:
            print(f"  checked to 'Other': {d.id} (gold {sorted(d.narratives)[:2]}, model {p.narrative_labels[:2]})")
for name, preds in (("models alone", plain), ("with the topic check", checked)):
    s = _narrative_scores(gold, [c for c, _ in preds], [f for _, f in preds])
    print(f"{name}: coarse {s['narratives_f1_coarse']:.3f} fine {s['narratives_f1_fine']:.3f}")

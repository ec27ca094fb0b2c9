"""Round 28: the main-role head reads which side of the war the mention is on, crossed with the article's stance.

In the English data a Ukrainian entity is almost never cast as an antagonist in an article that carries none of
the five pro-Kremlin narratives below (0 of 20 mentions), and a Russian one is mostly protagonist or innocent in
an article that does carry one; the words around a mention do not say which kind of article it is in. The
main-role head is given ten more columns (times W): the side of the mention's name (Russia, Ukraine, the West,
anyone else in a war article, anyone in a climate article: one-hot) and the same crossed with the article's
stance (1 when the article carries a pro-Kremlin narrative). The rest is `spinlens evaluate semeval2025` as
shipped (seed 13).

    STANCE=gold W=1 python experiments/role_stance_probe.py   (the gold narratives: an upper bound)
    STANCE=oof W=1 python experiments/role_stance_probe.py    (predicted narratives; see below)

`oof`: each article's narratives as predicted by the shipped recipe fitted on the other four of the evaluation's
five folds. A held-out article's stance is thus its own fold's prediction; a training article's comes from a
model that saw the held-out fold's narrative labels (never its roles), a small optimism a shipped version would
avoid by reading inner folds.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np

import spinlens.evaluate.semeval2025 as E
import spinlens.models.semeval2025 as M
import spinlens.train.semeval2025 as T
from spinlens.datasets.semeval2025 import load_semeval2025
from spinlens.models.sparse import sparse
from spinlens.nlp.spacy_model import load_spacy
from spinlens.train.embedding_cache import embed_paragraphs_cached

DATA = Path("../shared/data/semeval2025-task10/EN")
W = float(os.environ.get("W", "1"))
STANCE_SOURCE = os.environ.get("STANCE", "gold")
PRO_KREMLIN = (
    "URW: Praise of Russia",
    "URW: Russia is the Victim",
    "URW: Discrediting Ukraine",
    "URW: Discrediting the West, Diplomacy",
    "URW: Blaming the war on others rather than the invader",
)
SIDES = {
    "ru": re.compile(r"russia|putin|moscow|kremlin|lavrov|shoigu|peskov|wagner|prigozhin|medvedev"),
    "ua": re.compile(r"ukrain|zelensk|kiev|kyiv|kuleba|azov"),
    "west": re.compile(
        r"nato|west|biden|\bu\.?s\.?\b|united_states|america|washington|\beu\b|europe|\buk\b|britain|german"
        r"|france|french|pentagon|white_house|blinken|stoltenberg|scholz|macron"
    ),
}
SIDE_NAMES = ["ru", "ua", "west", "war_other", "climate"]
STANCE: dict[str, int] = {}


def side(entity: str, doc_id: str) -> str:
    if "_CC_" in doc_id:
        return "climate"
    return next((name for name, pattern in SIDES.items() if pattern.search(entity)), "war_other")


orig_examples = T.role_examples


def role_examples(docs, parsed, domains=None):
    out = orig_examples(docs, parsed, domains)
    for feats, doc_id in zip(out.features, out.doc_ids, strict=True):
        entity = next(f[4:] for f in feats if f.startswith("ent="))
        feats.append("zz_side=" + side(entity, doc_id))
        feats.append(f"zz_pro={STANCE[doc_id]}")
    return out


def split(features):
    words = [[f for f in fs if not f.startswith("zz_")] for fs in features]
    columns = np.zeros((len(features), 2 * len(SIDE_NAMES)))
    for i, fs in enumerate(features):
        s = SIDE_NAMES.index(next(f[8:] for f in fs if f.startswith("zz_side=")))
        pro = float(next(f[7:] for f in fs if f.startswith("zz_pro=")))
        columns[i, s] = 1.0
        columns[i, len(SIDE_NAMES) + s] = pro
    return words, columns * W


orig_fit = M.RoleModel.fit.__func__


def fit(cls, features, mains, fines, sX, sy, *, seed, salience_threshold=0.5, embeddings=None, role_anchors=None):
    words, columns = split(features)
    model = orig_fit(
        cls, words, mains, fines, sX, sy, seed=seed, salience_threshold=salience_threshold,
        embeddings=embeddings, role_anchors=role_anchors,
    )
    Xw = model.encoder.transform([" ".join(f) for f in words])
    X = sparse.hstack([Xw, sparse.csr_matrix(columns)]).tocsr()
    model.main = M.fit_softmax_head(X, list(mains), M.MAIN_ROLES, C=M.ROLE_C, seed=seed)
    return model


def distributions(self, features, embeddings=None):
    words, columns = split(features)
    Xw = self.encoder.transform([" ".join(f) for f in words])
    Xf = M.fine_role_inputs(Xw, embeddings, self.embedding_dims, self.role_anchors, self.closeness_weight)
    X = sparse.hstack([Xw, sparse.csr_matrix(columns)]).tocsr()
    return self.main.distribution(X), {role: head.distribution(Xf) for role, head in self.fine.items()}


def pro_kremlin(labels) -> int:
    return int(any(label in PRO_KREMLIN for label in labels))


def main() -> None:
    data = load_semeval2025(DATA)
    docs = [d for d in data.documents if d.narratives or d.mentions]
    if STANCE_SOURCE == "gold":
        STANCE.update({d.id: pro_kremlin(d.narratives) for d in docs})
    else:
        assignment = T.document_folds([T.document_stratum(d) for d in docs], 5, 13)
        for fold in range(5):
            train = [d for d, f in zip(docs, assignment, strict=True) if f != fold]
            test = [d for d, f in zip(docs, assignment, strict=True) if f == fold]
            model, _ = T.fit_narrative_model(train, data.taxonomy, 13)
            texts = [d.text for d in test]
            for d, p in zip(test, model.predict(texts, embed_paragraphs_cached(texts)), strict=True):
                STANCE[d.id] = pro_kremlin(p.narrative_labels)
        agree = np.mean([STANCE[d.id] == pro_kremlin(d.narratives) for d in docs])
        print(f"predicted stance agrees with the gold one on {agree:.3f} of {len(docs)} articles", flush=True)
    T.role_examples = role_examples
    E.role_examples = role_examples
    M.RoleModel.fit = classmethod(fit)
    M.RoleModel.distributions = distributions
    parsed = T.parse_documents(data.documents, load_spacy())
    report = E.cross_validate_loaded(data, parsed)
    print("STANCE", STANCE_SOURCE, "W", W, json.dumps(report.to_dict()["scores"]["spinlens"]))
    print(json.dumps(report.to_dict()["per_label"]["main_roles"]))


if __name__ == "__main__":
    main()

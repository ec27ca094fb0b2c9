"""Round 26: the fine-role heads also read how close the mention's sentence embedding comes to the 22 fine-role
descriptions of round 25's role probe (weight W); the main-role head and the rest of `spinlens evaluate
semeval2025` as shipped. Round 25 gave the main-role head these columns (no gain); naming the fine role is
where exact match is lost.

    W=1 python experiments/role_fine_closeness_probe.py          (about 4-5 min; W=3 for another weight)
    W=1 SEEDS=1,2,3,4 python experiments/role_fine_closeness_probe.py   (other draws of folds; W=0: as shipped)
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

import spinlens.models.semeval2025 as M
from spinlens.datasets.semeval2025 import FINE_ROLES_BY_MAIN
from spinlens.models.sparse import sparse
from spinlens.nlp.embed import embed

DESCR = {
    "Guardian": "heroes who protect and defend their people",
    "Martyr": "martyrs who sacrifice themselves for a cause",
    "Peacemaker": "peacemakers who seek to resolve the conflict through negotiation",
    "Rebel": "rebels who bravely resist oppression",
    "Underdog": "an underdog fighting against a much stronger opponent",
    "Virtuous": "virtuous, honest and principled people",
    "Instigator": "instigators who started the conflict and provoke war",
    "Conspirator": "conspirators plotting in secret to control the world",
    "Tyrant": "a tyrant who rules by oppression and force",
    "Foreign Adversary": "a hostile foreign power threatening the country",
    "Traitor": "traitors who betray their own country",
    "Spy": "spies gathering secret intelligence",
    "Saboteur": "saboteurs who deliberately damage and undermine",
    "Corrupt": "corrupt officials who abuse power for personal gain",
    "Incompetent": "incompetent leaders who fail and make mistakes",
    "Terrorist": "terrorists who use violence against civilians",
    "Deceiver": "liars who deceive the public and spread propaganda",
    "Bigot": "bigots full of prejudice and hatred",
    "Forgotten": "forgotten people whose suffering is ignored",
    "Exploited": "exploited people used for the gain of others",
    "Victim": "innocent victims who suffer harm and are killed",
    "Scapegoat": "scapegoats unfairly blamed for problems",
}
assert set(DESCR) == {r for roles in FINE_ROLES_BY_MAIN.values() for r in roles}
W = float(os.environ.get("W", "1"))
ANCHORS = embed(list(DESCR.values())).astype(np.float64)

original_fit = M.RoleModel.fit.__func__


def fine_inputs(X: sparse.spmatrix, embeddings: np.ndarray | None) -> sparse.csr_matrix:
    if embeddings is None:
        return sparse.hstack([X, sparse.csr_matrix((X.shape[0], len(ANCHORS)))]).tocsr()
    closeness = np.asarray(embeddings, np.float64) @ ANCHORS.T * W
    return sparse.hstack([X, sparse.csr_matrix(closeness)]).tocsr()


def fit(cls, features, mains, fines, sX, sy, *, seed, salience_threshold=0.5, embeddings=None):
    model = original_fit(
        cls, features, mains, fines, sX, sy, seed=seed, salience_threshold=salience_threshold, embeddings=embeddings
    )
    Xw = model.encoder.transform([" ".join(f) for f in features])
    X = fine_inputs(M._with_embeddings(Xw, embeddings, model.embedding_dims), embeddings)
    first_fine = [sorted(f)[0] for f in fines]
    for role in M.MAIN_ROLES:
        rows = [i for i, m in enumerate(mains) if m == role]
        if rows:
            model.fine[role] = M.fit_softmax_head(
                X[rows], [first_fine[i] for i in rows], FINE_ROLES_BY_MAIN[role], C=M.ROLE_C, seed=seed
            )
    return model


def distributions(self, features, embeddings=None):
    Xw = self.encoder.transform([" ".join(f) for f in features])
    X = fine_inputs(M._with_embeddings(Xw, embeddings, self.embedding_dims), embeddings)
    return self.main.distribution(Xw), {role: head.distribution(X) for role, head in self.fine.items()}


if W:
    M.RoleModel.fit = classmethod(fit)
    M.RoleModel.distributions = distributions

from spinlens.datasets.semeval2025 import load_semeval2025  # noqa: E402
from spinlens.evaluate.semeval2025 import cross_validate_loaded  # noqa: E402
from spinlens.nlp.spacy_model import load_spacy  # noqa: E402
from spinlens.train.semeval2025 import parse_documents  # noqa: E402

data = load_semeval2025(Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / "semeval2025-task10" / "EN")
parsed = parse_documents(data.documents, load_spacy())
for seed in [int(s) for s in os.environ.get("SEEDS", "13").split(",")]:
    report = cross_validate_loaded(data, parsed, seed=seed)
    print("W", W, "seed", seed, json.dumps(report.to_dict()["scores"]["spinlens"]), flush=True)

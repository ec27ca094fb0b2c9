"""Round 25: the main-role head also reads how close the mention's sentence embedding comes to 25 role
descriptions written for the purpose (weight W); the rest of `spinlens evaluate semeval2025` as shipped in round
25 (the fine-role heads without round 26's role descriptions).

    W=1 python experiments/role_closeness_probe.py          (about 5 min; W=3 for the other weight)
"""
from __future__ import annotations

import json
import os

import numpy as np

import spinlens.models.semeval2025 as M
from spinlens.models.sparse import sparse
from spinlens.nlp.embed import embed

# The 22 fine-role lines were written for this probe and ship since round 26 (FINE_ROLE_DESCRIPTIONS, which the
# fine-role heads read); this probe gives them, and three main-role lines, to the main-role head instead.
DESCR = {
    **M.FINE_ROLE_DESCRIPTIONS,
    "Protagonist": "the good side, heroes who deserve support",
    "Antagonist": "the bad side, villains responsible for harm",
    "Innocent": "innocent people who suffer through no fault of their own",
}
W = float(os.environ.get("W", "1"))
ANCH = embed(list(DESCR.values()))

orig_fit = M.RoleModel.fit.__func__
orig_dist = M.RoleModel.distributions

def closeness(emb):
    return np.asarray(emb, np.float64) @ ANCH.T.astype(np.float64) * W

def fit(cls, features, mains, fines, sX, sy, *, seed, salience_threshold=0.5, embeddings=None, role_anchors=None):
    model = orig_fit(cls, features, mains, fines, sX, sy, seed=seed, salience_threshold=salience_threshold, embeddings=embeddings)
    texts = [" ".join(f) for f in features]
    Xw = model.encoder.transform(texts)
    X = sparse.hstack([Xw, sparse.csr_matrix(closeness(embeddings))]).tocsr()
    model.main = M.fit_softmax_head(X, list(mains), M.MAIN_ROLES, C=M.ROLE_C, seed=seed)
    return model

def distributions(self, features, embeddings=None):
    Xw = self.encoder.transform([" ".join(f) for f in features])
    Xf = M.fine_role_inputs(Xw, embeddings, self.embedding_dims, None, 0.0)
    X = sparse.hstack([Xw, sparse.csr_matrix(closeness(embeddings))]).tocsr()
    return self.main.distribution(X), {role: head.distribution(Xf) for role, head in self.fine.items()}

M.RoleModel.fit = classmethod(fit)
M.RoleModel.distributions = distributions

from pathlib import Path

from spinlens.evaluate.semeval2025 import cross_validate

rep = cross_validate(Path("../shared/data/semeval2025-task10/EN"))
print("W", W, json.dumps(rep.to_dict()["scores"]["spinlens"]))
print(json.dumps(rep.to_dict()["per_label"]["main_roles"]))

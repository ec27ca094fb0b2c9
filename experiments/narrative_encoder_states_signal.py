"""Narratives: does the technique encoder's pooled state tell "no narrative" articles apart? (round 33, a check)

The shipped technique encoder (fine-tuned on SemEval-2023 persuasion spans, self-trained on the SemEval-2025
texts without their labels) pools each chunk into 768 numbers (its [CLS] state and mean state) for its
paragraph head. The graph is copied with that tensor as a third output, and each SemEval-2025 article is
described by the mean (and max) of those vectors over its first 32 paragraphs. Out of fold (the evaluation's
folds, seed 13): ROC AUC of "no narrative" from a regression on them alone, from the shipped mixed "Other"
probability alone, and from both. The frozen MiniLM paragraph mean is given the same treatment for reference.

    python experiments/narrative_encoder_states_signal.py            (about 4 min; needs the training extra for onnx)
"""

import os
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from narrative_label_closeness_probe import DATA, held_out_folds, logit
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from spinlens.datasets.semeval2025 import load_semeval2025
from spinlens.models.semeval2025 import OTHER
from spinlens.models.technique_encoder import DEFAULT_DIR, batch_arrays, paragraph_chunks, tokenizer
from spinlens.nlp.segment import paragraphs
from spinlens.train.embedding_cache import embed_paragraphs_cached

WORK = Path(os.environ.get("SPINLENS_WORK", "/tmp/r33"))
POOLED = "/model/Concat_output_0"
PARAGRAPHS = 32


def states_session(folder: Path = DEFAULT_DIR) -> ort.InferenceSession:
    model = onnx.load(str(folder / "model.onnx"))
    model.graph.output.append(onnx.helper.make_tensor_value_info(POOLED, onnx.TensorProto.FLOAT, ["batch", 768]))
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / "encoder_states.onnx"
    onnx.save(model, str(path))
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def article_states(texts: list[str]) -> np.ndarray:
    cache = WORK / "states.npy"
    if cache.is_file():
        return np.load(cache)
    session, tok = states_session(), tokenizer()
    rows = []
    for text in texts:
        chunks = paragraph_chunks(paragraphs(text)[:PARAGRAPHS], tok, 128)
        pooled = []
        for chunk in chunks:
            ids, mask = batch_arrays([chunk])
            pooled.append(session.run([POOLED], {"input_ids": ids, "attention_mask": mask})[0][0])
        pooled = np.array(pooled)
        rows.append(np.concatenate([pooled.mean(0), pooled.max(0)]))
    out = np.array(rows, dtype=np.float32)
    np.save(cache, out)
    return out


data = load_semeval2025(DATA)
docs = [d for d in data.documents if d.narratives or d.mentions]
seed = int(os.environ.get("SEED", "13"))
labelled = [d for d in docs if d.narratives]
index = {d.id: i for i, d in enumerate(labelled)}
states = article_states([d.text for d in labelled])
minilm = embed_paragraphs_cached([d.text for d in labelled]).first(PARAGRAPHS).pooled()
y_all = np.array([set(d.narratives) == {OTHER} for d in labelled])

# Every labelled article is held out in exactly one fold: the folds of the regressions below are those.
fold, p_other = np.zeros(len(labelled), dtype=int), np.zeros(len(labelled))
for k, (test, _, scores, _) in enumerate(held_out_folds(data, docs, seed)):
    for d, p in zip(test, scores.other):
        fold[index[d.id]], p_other[index[d.id]] = k, p


def out_of_fold(X: np.ndarray, C: float) -> np.ndarray:
    out = np.zeros(len(X))
    for f in range(5):
        train, test = fold != f, fold == f
        head = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=3000, class_weight="balanced"))
        head.fit(X[train], y_all[train])
        out[test] = head.decision_function(X[test])
    return out


print(f"{len(labelled)} articles, {y_all.sum()} without a narrative")
print(f"shipped mixed 'Other' probability: ROC AUC {roc_auc_score(y_all, p_other):.3f}")
for name, X in (("encoder states mean", states[:, :768]), ("encoder states mean+max", states),
                ("frozen MiniLM paragraph mean", minilm)):
    for C in (0.001, 0.003, 0.01, 0.03):
        alone = out_of_fold(X, C)
        both = out_of_fold(np.column_stack([X, logit(p_other)]), C)
        mix = [roc_auc_score(y_all, logit(p_other) + w * alone / alone.std()) for w in (0.25, 0.5, 1.0)]
        print(f"{name:30s} C={C:<6} alone {roc_auc_score(y_all, alone):.3f}  beside p(Other) "
              f"{roc_auc_score(y_all, both):.3f}  logit mix 0.25/0.5/1: " + " / ".join(f"{m:.3f}" for m in mix),
              flush=True)

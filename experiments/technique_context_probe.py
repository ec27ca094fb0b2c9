"""Probe: does the technique encoder gain from context (title + end of the previous paragraph as segment A)?

Per fold (same folds, same fitting/validation split and settings as `spinlens evaluate techniques-encoder`):
fine-tune MiniLM with context, and score it beside the fold's shipped-style checkpoint, both run in fp32
PyTorch and decoded/tuned exactly as the runtime does (tuned on the validation sixth, scored on the fold).
Needs the outputs of technique_dump_folds.py (linear models per fold) in $SPINLENS_WORK and the fold
checkpoints in $SPINLENS_CHECKPOINTS.

    python experiments/technique_context_probe.py 0 1
"""
import os
import math
import pickle
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file

from spinlens.core.settings import TECHNIQUES
from spinlens.datasets.semeval2023 import Semeval2023Labels, TechniqueSpan, load_dataset
from spinlens.evaluate.semeval2023 import score_labels
from spinlens.models.technique_encoder import (CLS_ID, SEP_ID, EncodedArticle, decode_spans, length_batches,
    linear_matrix, paragraph_chunks, paragraph_probabilities, span_label_scores, tokenizer)
from spinlens.nlp.segment import paragraphs
from spinlens.train.technique_encoder import (FineTuneSettings, article_examples, base_weights_file, build_tagger,
    tune_config)

TITLE, PREV = 16, 24
WORK = os.environ.get("SPINLENS_WORK", ".")
CKPT = os.environ.get("SPINLENS_CHECKPOINTS", "checkpoints")
torch.set_num_threads(2)
settings = FineTuneSettings()
labels = list(TECHNIQUES)
n_labels = len(labels)
tok = tokenizer()
arts = {a.id: a for a in load_dataset(Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / "semeval2023-task3/en").articles}


def context_ids(paras, i):
    if i == 0:
        return []
    title = tok.encode(paras[0].text, add_special_tokens=False).ids[:TITLE]
    prev = tok.encode(paras[i - 1].text, add_special_tokens=False).ids[-PREV:] if i > 1 else []
    return title + prev


def sequences(article_id, with_context):
    """(ids, first chunk position, chunk) per chunk of the article."""
    paras = paragraphs(arts[article_id].text)
    out = []
    for chunk in paragraph_chunks(paras, tok, settings.max_tokens):
        ctx = context_ids(paras, chunk.paragraph) if with_context else []
        head = [CLS_ID, *ctx, SEP_ID] if ctx else [CLS_ID]
        out.append(([*head, *chunk.ids, SEP_ID], len(head), chunk))
    return paras, out


def tensors(rows):
    width = max(len(r[0]) for r in rows)
    ids = torch.zeros(len(rows), width, dtype=torch.long)
    mask = torch.zeros(len(rows), width, dtype=torch.long)
    token_y = torch.zeros(len(rows), width, n_labels + 1)
    token_mask = torch.zeros(len(rows), width)
    para_y = torch.zeros(len(rows), n_labels)
    for r, (seq, first, example) in enumerate(rows):
        ids[r, : len(seq)] = torch.tensor(seq)
        mask[r, : len(seq)] = 1
        n = len(example.chunk.ids)
        token_y[r, first : first + n] = torch.from_numpy(example.token_targets)
        token_mask[r, first : first + n] = 1
        para_y[r] = torch.from_numpy(example.paragraph_targets)
    return ids, mask, token_y, token_mask, para_y


def fine_tune_with_context(fitting, seed=13):
    torch.manual_seed(seed)
    rng = random.Random(seed)
    rows = []
    for a in fitting:
        paras = paragraphs(a.text)
        for example in article_examples(a, tok, labels, settings.max_tokens):
            ctx = context_ids(paras, example.chunk.paragraph)
            head = [CLS_ID, *ctx, SEP_ID] if ctx else [CLS_ID]
            rows.append(([*head, *example.chunk.ids, SEP_ID], len(head), example))
    model = build_tagger(n_labels)
    model.load_minilm(load_file(str(base_weights_file())))
    heads = [*model.token_head.parameters(), *model.paragraph_head.parameters()]
    head_ids = {id(p) for p in heads}
    optimiser = torch.optim.AdamW(
        [{"params": [p for p in model.parameters() if id(p) not in head_ids], "lr": settings.learning_rate},
         {"params": heads, "lr": settings.head_learning_rate}], weight_decay=0.01)
    order = sorted(range(len(rows)), key=lambda i: len(rows[i][0]))
    groups = [order[i : i + settings.batch_size] for i in range(0, len(order), settings.batch_size)]
    total = settings.epochs * len(groups)
    warmup = max(1, int(0.06 * total))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, (total - s) / total))
    bce = torch.nn.BCEWithLogitsLoss(reduction="none")
    model.train()
    started = time.time()
    for epoch in range(settings.epochs):
        shuffled = list(groups)
        rng.shuffle(shuffled)
        for group in shuffled:
            ids, mask, token_y, token_mask, para_y = tensors([rows[i] for i in group])
            token_logits, para_logits = model(ids, mask)
            token_loss = (bce(token_logits, token_y).sum(-1) * token_mask).sum() / token_mask.sum().clamp(min=1)
            loss = token_loss + bce(para_logits, para_y).sum(-1).mean()
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            scheduler.step()
        print(f"  epoch {epoch + 1} done, {time.time() - started:.0f} s", flush=True)
    model.eval()
    return model


@torch.no_grad()
def encode(model, article_id, with_context):
    paras, seqs = sequences(article_id, with_context)
    token_probs, chunk_probs = [], []
    for seq, first, chunk in seqs:
        ids = torch.tensor([seq])
        tokens, head = model(ids, torch.ones_like(ids))
        token_probs.append(torch.sigmoid(tokens[0, first : first + len(chunk.ids)]).numpy())
        chunk_probs.append(torch.sigmoid(head[0]).numpy())
    return EncodedArticle([s[2] for s in seqs], token_probs, np.array(chunk_probs).reshape(len(seqs), n_labels))


class Stub:
    def __init__(self, enc, ids):
        self.it = iter([enc[i] for i in ids])

    def encode(self, paras):
        return next(self.it)


def predict(cfg, enc, lin_out, lin_model, ids):
    lines, spans = {}, {}
    for i in ids:
        a = arts[i]
        paras = paragraphs(a.text)
        e = enc[i]
        probs = paragraph_probabilities(e, len(paras), cfg.paragraph_weight)
        if cfg.encoder_share < 1.0:
            probs = cfg.encoder_share * probs + (1 - cfg.encoder_share) * linear_matrix(lin_out[i], labels)
        runs = decode_spans(e, labels, cfg.span_low, cfg.span_high)
        offs = [(e.chunks[c].offsets[f][0], e.chunks[c].offsets[t][1]) for c, f, t, _, _ in runs]
        names = lin_model.name_spans(a.text, paras, offs, probs) if runs and cfg.span_label_linear_share > 0 else None
        out = set()
        for k, (c, f, t, mean, _) in enumerate(runs):
            s = span_label_scores(mean, probs[e.chunks[c].paragraph], cfg.span_label_encoder_share,
                                  None if names is None else names[k], cfg.span_label_linear_share)
            out.add(TechniqueSpan(offs[k][0], offs[k][1], labels[int(s.argmax())]))
        spans[i] = sorted(out)
        th = np.asarray(cfg.thresholds)
        lines[i] = {p.line: [labels[j] for j in range(n_labels) if probs[pi, j] >= th[j]] for pi, p in enumerate(paras)}
    return Semeval2023Labels(lines=lines, spans=spans)


def gold(ids):
    return Semeval2023Labels(lines={i: dict(arts[i].line_labels or {}) for i in ids},
                             spans={i: list(arts[i].spans or []) for i in ids})


for fold in [int(x) for x in sys.argv[1:]]:
    d = pickle.load(open(f"{WORK}/fold{fold}.pkl", "rb"))
    val, test = d["validation"], d["test"]
    fitting_ids = {a.id for a in arts.values() if a.has_techniques} - set(val) - set(test)
    fitting = [arts[i] for i in sorted(fitting_ids) if i not in d["test"]]
    # The fitting articles are the fold's training articles minus the validation sixth.
    results = {}
    baseline = build_tagger(n_labels)
    baseline.load_state_dict(torch.load(f"{CKPT}/fold{fold + 1}-of5-seed13-epochs4.pt"))
    baseline.eval()
    t0 = time.time()
    contextual = fine_tune_with_context(fitting)
    print(f"fold {fold + 1}: fine-tuned with context on {len(fitting)} articles in {time.time() - t0:.0f} s", flush=True)
    for name, model, with_context in (("baseline fp32", baseline, False), ("context fp32", contextual, True)):
        enc = {i: encode(model, i, with_context) for i in val + test}
        cfg, _ = tune_config(Stub(enc, val), [arts[i] for i in val], labels, 128, d["linear_out"], d["lin_fit"])
        s = score_labels(gold(test), predict(cfg, enc, d["linear_out"], d["lin_train"], test))
        print(f"fold {fold + 1} {name:14s} para {s['paragraph_micro_f1']:.3f} any {s['span_any_f1']:.3f} "
              f"tech {s['span_technique_f1']:.3f}", flush=True)

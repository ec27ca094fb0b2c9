"""Experiment: fine-tune MiniLM on entity-marked context for SemEval-2025 roles (5-fold CV, same folds)."""
import sys, time, random, math, json
from pathlib import Path
import numpy as np
import torch
from safetensors.torch import load_file
from spinlens.datasets.semeval2025 import load_semeval2025
from spinlens.train.semeval2025 import document_folds, document_stratum
from spinlens.train.technique_encoder import build_tagger, base_weights_file
from spinlens.models.technique_encoder import tokenizer

LEFT, RIGHT = int(sys.argv[1]) if len(sys.argv) > 1 else 150, int(sys.argv[2]) if len(sys.argv) > 2 else 90
EPOCHS = int(sys.argv[3]) if len(sys.argv) > 3 else 6
LR = float(sys.argv[4]) if len(sys.argv) > 4 else 5e-5
ONLY = [int(f) for f in sys.argv[5].split(",")] if len(sys.argv) > 5 else None
import os; torch.set_num_threads(int(os.environ.get("THREADS", "2")))
data = load_semeval2025(Path(os.environ.get("SPINLENS_DATA", "../shared/data")) / Path("semeval2025-task10/EN"))
docs = [d for d in data.documents if d.narratives or d.mentions]
assign = document_folds([document_stratum(d) for d in docs], 5, 13)
tok = tokenizer()
MAINS = ["Antagonist", "Protagonist", "Innocent"]
FINES = sorted({f for d in docs for m in d.mentions for f in m.fine})
CLS, SEP, M1, M2 = 101, 102, 1, 2  # [unused0]=1, [unused1]=2

def example(text, m):
    left = tok.encode(text[max(0, m.start - 1500):m.start], add_special_tokens=False).ids[-LEFT:]
    ent = tok.encode(text[m.start:m.end], add_special_tokens=False).ids[:16]
    right = tok.encode(text[m.end:m.end + 1200], add_special_tokens=False).ids[:RIGHT]
    ids = [CLS, *left, M1, *ent, M2, *right, SEP]
    return ids, len(left) + 1, len(left) + 2 + len(ent)

def items(ds):
    out = []
    for d in ds:
        for m in d.mentions:
            ids, s, e = example(d.text, m)
            out.append((ids, s, e, MAINS.index(m.main), [FINES.index(f) for f in m.fine if f in FINES]))
    return out

def batch(rows):
    n = max(len(r[0]) for r in rows)
    ids = torch.zeros(len(rows), n, dtype=torch.long); mask = torch.zeros(len(rows), n, dtype=torch.long)
    ent = torch.zeros(len(rows), n)
    starts = torch.tensor([r[1] for r in rows])
    for i, r in enumerate(rows):
        ids[i, :len(r[0])] = torch.tensor(r[0]); mask[i, :len(r[0])] = 1; ent[i, r[1]:r[2] + 1] = 1
    y = torch.tensor([r[3] for r in rows])
    fy = torch.zeros(len(rows), len(FINES))
    for i, r in enumerate(rows):
        for f in r[4]: fy[i, f] = 1
    return ids, mask, ent, starts, y, fy

class RoleNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.body = build_tagger(1)
        self.body.load_minilm(load_file(str(base_weights_file())))
        self.main = torch.nn.Linear(3 * 384, 3); self.fine = torch.nn.Linear(3 * 384, len(FINES))
        self.drop = torch.nn.Dropout(0.1)
    def forward(self, ids, mask, ent, starts):
        b = self.body
        pos = torch.arange(ids.shape[1]).unsqueeze(0)
        x = b.drop(b.norm(b.word(ids) + b.position(pos) + b.token_type(torch.zeros_like(ids))))
        bias = (1.0 - mask[:, None, None, :].float()) * -1e4
        for layer in b.layers: x = layer(x, bias)
        em = (x * ent.unsqueeze(-1)).sum(1) / ent.sum(1, keepdim=True).clamp(min=1)
        st = x[torch.arange(len(starts)), starts]
        h = self.drop(torch.cat([x[:, 0], st, em], -1))
        return self.main(h), self.fine(h)

def run(fold):
    torch.manual_seed(13); rng = random.Random(13)
    train = items([d for d, f in zip(docs, assign) if f != fold])
    test = items([d for d, f in zip(docs, assign) if f == fold])
    net = RoleNet()
    heads = [*net.main.parameters(), *net.fine.parameters()]
    hid = {id(p) for p in heads}
    opt = torch.optim.AdamW([{"params": [p for p in net.parameters() if id(p) not in hid], "lr": LR},
                             {"params": heads, "lr": 1e-3}], weight_decay=0.01)
    bs = 16; steps = EPOCHS * math.ceil(len(train) / bs); warm = max(1, int(0.1 * steps))
    sch = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / steps))
    net.train(); t0 = time.time()
    for ep in range(EPOCHS):
        order = list(range(len(train))); rng.shuffle(order)
        for k in range(0, len(order), bs):
            ids, mask, ent, st, y, fy = batch([train[i] for i in order[k:k + bs]])
            lm, lf = net(ids, mask, ent, st)
            loss = torch.nn.functional.cross_entropy(lm, y) + torch.nn.functional.binary_cross_entropy_with_logits(lf, fy)
            opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0); opt.step(); sch.step()
    net.eval(); P = []; F = []
    with torch.no_grad():
        for k in range(0, len(test), 32):
            ids, mask, ent, st, y, fy = batch(test[k:k + 32])
            lm, lf = net(ids, mask, ent, st)
            P.append(lm.softmax(-1).numpy()); F.append(torch.sigmoid(lf).numpy())
    P = np.concatenate(P); F = np.concatenate(F)
    gold = np.array([t[3] for t in test])
    acc = float((P.argmax(1) == gold).mean())
    print(f"fold {fold+1}: n={len(test)} acc={acc:.3f} trivial={float((gold==0).mean()):.3f} {time.time()-t0:.0f}s", flush=True)
    np.savez(os.environ.get("SPINLENS_WORK", ".") + f"/fold{fold}_{LEFT}_{RIGHT}_{EPOCHS}_{LR}.npz", P=P, F=F, gold=gold,
             gfine=np.array([";".join(FINES[i] for i in t[4]) for t in test]))
    return acc, len(test)

res = [run(f) for f in (ONLY or range(5))]
print("pooled acc", sum(a * n for a, n in res) / sum(n for _, n in res))

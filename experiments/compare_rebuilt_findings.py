"""Technique findings of the shipped models against a rebuild's (round 31), on the first N articles of a folder
and the sample article: how many findings (label and offsets) the two give alike.

    python experiments/compare_rebuilt_findings.py MODELS_DIR ../shared/data/semeval2025-task10/EN/raw-documents 60

MODELS_DIR is the --out of `spinlens train all`. A fourth argument, another models folder, takes the place of the
shipped models (round 32: two rebuilds, each with its own tuning, against each other)."""
import os
import sys
from pathlib import Path
from spinlens.core.model import Article
from spinlens.pipeline import load_pipeline

files = sorted(Path(sys.argv[2]).glob("*.txt"))[: int(sys.argv[3])] + [Path(os.environ.get("SPINLENS_SAMPLES", "../shared/samples")) / "dushanbe-summit.txt"]
articles = [Article(text=f.read_text(encoding="utf-8")) for f in files]
def spans(models):
    p = load_pipeline("default", models_dir=models)
    out = []
    for a in articles:
        an = p(a)
        out.append({(f.label, f.start, f.end) for f in an.findings if f.kind == "technique"})
    return out
shipped, rebuilt = spans(Path(sys.argv[4]) if len(sys.argv) > 4 else None), spans(Path(sys.argv[1]))
same = sum(len(a & b) for a, b in zip(shipped, rebuilt))
ns, nr = sum(map(len, shipped)), sum(map(len, rebuilt))
print(f"{len(articles)} articles: shipped {ns} technique findings, rebuilt {nr}, identical {same}; "
      f"only shipped {ns - same}, only rebuilt {nr - same}; articles with any difference "
      f"{sum(a != b for a, b in zip(shipped, rebuilt))}")
print("sample (dushanbe-summit.txt): shipped / rebuilt / identical", len(shipped[-1]), len(rebuilt[-1]), len(shipped[-1] & rebuilt[-1]))

"""Speed and memory of the full spinlens pipeline against spaCy's pipeline alone.

Each measurement runs in a fresh Python process so that peak RSS belongs to it
alone. Load time (imports and models) is reported separately from throughput.

    .venv/bin/python bench/bench_pipeline.py [FOLDER] [--limit N] [--processes P]

FOLDER holds .txt articles (default: the SemEval-2023 English articles in
../shared). Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = REPO.parent / "shared" / "data" / "semeval2023-task3" / "en" / "articles"


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_mode(mode: str, paths: list[str], processes: int, profile: str) -> dict[str, float]:
    """Runs inside the child process."""
    texts = [Path(p).read_text(encoding="utf-8") for p in paths]
    started = time.perf_counter()
    if mode == "spacy":
        from spinlens.nlp.spacy_model import load_spacy

        nlp = load_spacy()
        loaded = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=16, n_process=processes):
            pass
    else:
        from spinlens.core.model import Article
        from spinlens.pipeline import analyse_many, load_pipeline

        pipeline = load_pipeline(profile=profile)
        loaded = time.perf_counter()
        for _ in analyse_many(pipeline, (Article(text=t) for t in texts), processes=processes):
            pass
    done = time.perf_counter()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "load_s": loaded - started,
        "run_s": done - loaded,
        "articles": len(texts),
        "chars": sum(len(t) for t in texts),
        "peak_rss_mb": max(_peak_rss_mb(), children),
    }


def run_long(paths: list[str], chars: int, profile: str) -> dict[str, float]:
    """Runs inside the child process: one text of ``chars`` characters (the articles joined), against the
    same articles analysed one by one, in one process, so that a cost growing faster than the text shows."""
    from spinlens.core.model import Article
    from spinlens.pipeline import load_pipeline

    texts = [Path(p).read_text(encoding="utf-8") for p in paths]
    pipeline = load_pipeline(profile=profile)
    sample = texts[:20]
    started = time.perf_counter()
    for text in sample:
        pipeline(Article(text=text))
    typical_s = time.perf_counter() - started
    joined = ""
    while len(joined) < chars:
        joined += "\n\n".join(texts) + "\n\n"
    long_text = joined[:chars].rstrip()
    started = time.perf_counter()
    pipeline(Article(text=long_text))
    return {
        "typical_ms_per_kchar": 1000 * typical_s / (sum(len(t) for t in sample) / 1000),
        "long_s": time.perf_counter() - started,
        "long_chars": len(long_text),
        "peak_rss_mb": _peak_rss_mb(),
    }


def in_fresh_process(module: str, function: str, args: list[Any], what: str) -> Any:
    """``function(*args)`` from a script of this folder, run in a new Python process; its JSON result.

    The arguments travel as JSON on standard input (a list of paths can be long); ``what``
    names the run if it fails.
    """
    here = str(Path(__file__).parent)
    code = (
        f"import json,sys; sys.path.insert(0, {here!r}); from {module} import {function}; "
        f"print(json.dumps({function}(*json.loads(sys.stdin.read()))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(args), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"{what} run failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(mode: str, paths: list[str], processes: int, profile: str) -> dict[str, float]:
    result: dict[str, float] = in_fresh_process(
        "bench_pipeline", "run_mode", [mode, paths, processes, profile], mode
    )
    return result


def cold_start(path: str, profile: str) -> float:
    exe = Path(sys.executable).parent / "spinlens"
    started = time.perf_counter()
    subprocess.run(
        [str(exe), "analyze", path, "--format", "json", "--profile", profile], capture_output=True, check=True
    )
    return time.perf_counter() - started


def shipped_model_mb() -> dict[str, float]:
    """Megabytes of each model folder shipped in the package (the MiniLM ONNX dependency is not ours)."""
    root = REPO / "spinlens" / "models"
    return {
        folder.name: sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6
        for folder in sorted(root.iterdir())
        if folder.is_dir() and not folder.name.startswith("__")
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--limit", type=int, default=100, help="articles to analyse (default 100)")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--profile", default="default")
    parser.add_argument("--min-chars", type=int, default=0, help="skip articles shorter than this")
    parser.add_argument("--max-chars", type=int, default=10**9, help="skip articles longer than this")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold starts to time (median printed)")
    parser.add_argument(
        "--long-chars",
        type=int,
        default=0,
        help="also time one text of this many characters (the articles joined; the input limit is 500000)",
    )
    args = parser.parse_args()
    if not args.folder.is_dir():
        sys.exit(f"no such folder: {args.folder}")
    paths = sorted(
        str(p)
        for p in args.folder.glob("*.txt")
        if args.min_chars <= len(p.read_text(encoding="utf-8")) <= args.max_chars
    )[: args.limit]
    if not paths:
        sys.exit("no .txt articles found")
    print(f"{len(paths)} articles from {args.folder}, processes={args.processes}, profile={args.profile}")
    results = {}
    for mode in ("spacy", "full"):
        r = measure(mode, paths, args.processes, args.profile)
        results[mode] = r
        rate = r["articles"] / r["run_s"]
        print(
            f"{mode:>6}: {rate:6.2f} articles/s  {1000 * r['run_s'] / r['articles']:7.1f} ms/article  "
            f"peak RSS {r['peak_rss_mb']:7.1f} MB  load {r['load_s']:.2f} s  "
            f"({r['chars'] / r['articles']:.0f} chars/article)"
        )
    ratio = results["full"]["run_s"] / results["spacy"]["run_s"]
    print(f" ratio: full pipeline takes {ratio:.2f}x the time of spaCy alone")
    colds = sorted(cold_start(paths[0], args.profile) for _ in range(args.cold_runs))
    print(
        f"  cold: 'spinlens analyze FILE --profile {args.profile}' end to end in "
        f"{statistics.median(colds):.2f} s (median of {len(colds)}; {colds[0]:.2f}-{colds[-1]:.2f})"
    )
    if args.long_chars:
        long = in_fresh_process("bench_pipeline", "run_long", [paths, args.long_chars, args.profile], "long")
        per_kchar = 1000 * long["long_s"] / (long["long_chars"] / 1000)
        typical = long["typical_ms_per_kchar"]
        print(
            f"  long: one {long['long_chars']:,}-character text in {long['long_s']:.1f} s, "
            f"{per_kchar:.0f} ms per 1,000 characters against {typical:.0f} for the first "
            f"20 articles one by one ({per_kchar / typical:.2f}x); "
            f"peak RSS {long['peak_rss_mb']:.0f} MB"
        )
    sizes = shipped_model_mb()
    listed = ", ".join(f"{name} {mb:.1f}" for name, mb in sizes.items())
    print(f"models: {sum(sizes.values()):.1f} MB shipped in spinlens/models ({listed})")
    print(f"  host: {os.cpu_count()} cores, python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()

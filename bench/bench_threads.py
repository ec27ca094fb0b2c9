"""What more onnxruntime threads buy one analysis, and how fast this CPU runs the two MiniLM networks.

    .venv/bin/python bench/bench_threads.py [FILE] [--runs N]

1. Word pieces per second of the shipped technique encoder and of the dependency
   MiniLM (article embeddings) on batches of 32 x 128, with one thread and with
   every core (at most four).
2. The first analysis of FILE once the models are loaded, each run in a fresh
   process, alternating one thread, every core, and one thread with the transformer
   reading the article beside spaCy's parse (``read_beside_parse``, as the web
   server's workers run).

Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from bench_pipeline import in_fresh_process

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FILE = REPO.parent / "shared" / "samples" / "dushanbe-summit.txt"


def word_pieces_per_second(
    threads: int, batch: int = 32, tokens: int = 128, repeats: int = 4
) -> dict[str, float]:
    import numpy as np

    from spinlens.models.runtime import onnx_session
    from spinlens.models.technique_encoder import DEFAULT_DIR, MODEL_FILE
    from spinlens.nlp.embed import minilm_model_file

    rng = np.random.default_rng(0)
    ids = rng.integers(1000, 20000, (batch, tokens)).astype(np.int64)
    mask = np.ones_like(ids)
    rates = {}
    for name, path in (
        ("technique encoder", DEFAULT_DIR / MODEL_FILE),
        ("dependency MiniLM", minilm_model_file()),
    ):
        session = onnx_session(path, name, threads)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in {i.name for i in session.get_inputs()}:
            feeds["token_type_ids"] = np.zeros_like(ids)
        session.run(None, feeds)
        started = time.perf_counter()
        for _ in range(repeats):
            session.run(None, feeds)
        rates[name] = repeats * batch * tokens / (time.perf_counter() - started)
    return rates


def first_analysis_seconds(path: str, threads: int, beside: bool = False) -> float:
    """Runs inside a child process: load, then time one analysis."""
    from spinlens.core.model import Article
    from spinlens.pipeline import load_pipeline

    pipeline = load_pipeline(threads=threads, read_beside_parse=beside)
    text = Path(path).read_text(encoding="utf-8")
    started = time.perf_counter()
    pipeline(Article(text=text))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--runs", type=int, default=4, help="analyses per thread count (default 4)")
    args = parser.parse_args()
    if not args.file.is_file():
        sys.exit(f"no such file: {args.file}")
    from spinlens.models.runtime import available_cores

    cores = available_cores()
    counts = sorted({1, cores})
    for threads in counts:
        rates = word_pieces_per_second(threads)
        listed = ", ".join(f"{name} {rate:,.0f}" for name, rate in rates.items())
        print(f"word pieces/s, {threads} thread{'s' if threads > 1 else ''}: {listed}")
    # (threads, read beside the parse)
    setups = [(n, False) for n in counts] + [(1, True)]
    seconds: dict[tuple[int, bool], list[float]] = {setup: [] for setup in setups}
    for _ in range(args.runs):
        for threads, beside in setups:
            seconds[threads, beside].append(
                in_fresh_process(
                    "bench_threads", "first_analysis_seconds", [str(args.file), threads, beside], "analysis"
                )
            )
    for (threads, beside), runs in seconds.items():
        runs.sort()
        how = f"{threads} thread{'s' if threads > 1 else ''}" + (", read beside the parse" if beside else "")
        print(
            f"first analysis of {args.file.name}, {how}: median "
            f"{statistics.median(runs):.2f} s ({runs[0]:.2f}-{runs[-1]:.2f}, {len(runs)} runs)"
        )


if __name__ == "__main__":
    main()

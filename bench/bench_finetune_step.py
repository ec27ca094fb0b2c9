"""Time of one fine-tuning step of the technique encoder, as trained now and as before round 17.

`spinlens train` spends most of its hour on these steps (about 7,000 of them in
`train all`), so their time sets the time of the rebuild. Each variant runs in its
own process (the memory setting is process-wide), the variants alternate, and the
medians over rounds are printed with their ratio to "before". Needs the train extra.

    /path/to/trainvenv/bin/python bench/bench_finetune_step.py [--rounds 5] [--steps 12]

Variants, each adding one change of round 17 to the one before:
  before   PyTorch's nn.Dropout, AdamW's default (foreach) step, glibc's default malloc
  fused    AdamW(fused=True)
  memory   ... and glibc keeps freed blocks (spinlens.train.technique_encoder.keep_freed_memory)
  now      ... and dropout masks drawn with rand: the code `spinlens train` runs
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from typing import Any

VARIANTS = ("before", "fused", "memory", "now")


def run_variant(variant: str, steps: int, lengths: list[int], batch: int) -> float:
    """Runs inside the child process; returns the mean seconds per step."""
    import torch
    from safetensors.torch import load_file

    from spinlens.train.technique_encoder import (
        base_weights_file,
        build_tagger,
        keep_freed_memory,
        training_step,
    )

    torch.manual_seed(13)
    torch.set_num_threads(2)
    if variant in ("memory", "now"):
        keep_freed_memory()
    n_labels = 23
    model = build_tagger(n_labels)
    model.load_minilm(load_file(str(base_weights_file())))
    if variant != "now":
        for parent in list(model.modules()):
            for name, child in list(parent.named_children()):
                if isinstance(child, torch.nn.Dropout):
                    setattr(parent, name, torch.nn.Dropout(child.p))
    optimiser = torch.optim.AdamW(model.parameters(), lr=8e-5, weight_decay=0.01, fused=variant != "before")
    bce = torch.nn.BCEWithLogitsLoss(reduction="none")
    model.train()

    def step(length: int) -> None:
        batch_tensors = (
            torch.randint(1000, 30000, (batch, length)),
            torch.ones(batch, length, dtype=torch.long),
            (torch.rand(batch, length, n_labels + 1) < 0.05).float(),
            torch.ones(batch, length),
            (torch.rand(batch, n_labels) < 0.1).float(),
        )
        training_step(model, optimiser, bce, bce, batch_tensors)

    for length in lengths:  # warm-up: first calls allocate and pick kernels
        step(length)
    started = time.perf_counter()
    for i in range(steps):
        step(lengths[i % len(lengths)])
    return (time.perf_counter() - started) / steps


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds of all variants")
    parser.add_argument("--steps", type=int, default=12, help="timed steps per variant and round")
    parser.add_argument(
        "--lengths",
        default="24,49,96",
        help="word pieces per chunk, cycled (training's chunks average 49 word pieces, at most 128)",
    )
    parser.add_argument("--batch", type=int, default=16, help="chunks per step, as training uses")
    parser.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    lengths = [int(x) for x in args.lengths.split(",")]
    if args.child:
        print(json.dumps(run_variant(args.child, args.steps, lengths, args.batch)))
        return
    try:
        import torch  # noqa: F401
    except ImportError:
        sys.exit("bench_finetune_step needs PyTorch: pip install -e '.[train]'")
    times: dict[str, list[float]] = {v: [] for v in VARIANTS}
    for round_ in range(args.rounds):
        order = VARIANTS if round_ % 2 == 0 else tuple(reversed(VARIANTS))
        for variant in order:
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    variant,
                    "--steps",
                    str(args.steps),
                    "--lengths",
                    args.lengths,
                    "--batch",
                    str(args.batch),
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            times[variant].append(json.loads(out.stdout.strip().splitlines()[-1]))
    report(times, args)


def report(times: dict[str, list[float]], args: Any) -> None:
    base = statistics.median(times["before"])
    print(
        f"fine-tuning step, batch {args.batch}, lengths {args.lengths}, {args.rounds} alternating rounds "
        f"of {args.steps} steps; medians"
    )
    for variant, values in times.items():
        median = statistics.median(values)
        print(
            f"  {variant:7} {median * 1000:6.0f} ms/step  ({min(values) * 1000:.0f}-{max(values) * 1000:.0f})"
            f"  {median / base:5.2f}x before"
        )


if __name__ == "__main__":
    main()

"""The ``spinlens`` command: a thin shell over ingest, pipeline and reporters.

Heavy libraries (spaCy, scikit-learn) are imported inside the commands so that
``spinlens --help`` and error messages for bad input come back at once.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import gc
import logging
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from spinlens import __version__
from spinlens.core.errors import SpinlensError
from spinlens.train.recipe import (
    ENCODER_EPOCHS,
    ENCODER_REFIT,
    ENCODER_SELF_TRAINING,
    ENCODER_STUDENT_EPOCHS,
    ENCODER_STUDENT_FROM_TEACHER,
    ENCODER_THREADS,
)

if TYPE_CHECKING:
    from spinlens.train.technique_encoder import FineTuneSettings

app = typer.Typer(
    name="spinlens",
    help="Show how a news article tries to persuade: techniques, sourcing, entities, genre and frames.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
train_app = typer.Typer(help="Rebuild the shipped models from annotated data on disk.", no_args_is_help=True)
evaluate_app = typer.Typer(
    help="Cross-validate the models and print the official metrics.", no_args_is_help=True
)
predict_app = typer.Typer(
    help="Write predictions in a shared task's official file formats.", no_args_is_help=True
)
app.add_typer(train_app, name="train")
app.add_typer(evaluate_app, name="evaluate")


@train_app.callback()
@evaluate_app.callback()
def _same_kernels_everywhere() -> None:
    """Before a command that trains imports numpy: the same numeric kernels on every x86-64 CPU,
    so that the files and figures it makes do not depend on the kind of CPU."""
    from spinlens.train.kernels import pin_training_kernels

    pin_training_kernels()


app.add_typer(predict_app, name="predict")

EXAMPLE_ARTICLE = Path(__file__).parent / "examples" / "harbour-deal.txt"


class Profile(StrEnum):
    default = "default"
    fast = "fast"


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    markdown = "markdown"


# Commands under way that, once they return, have written everything out and hold only loaded models.
_SKIP_TEARDOWN: set[str] = set()


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"spinlens: error: {message}", err=True)
    raise typer.Exit(code)


def say(message: str) -> None:
    typer.echo(message, err=True)


def write_file_safely(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a failure (a full disk, say) leaves any earlier file whole.

    The text goes to a temporary file beside ``path``, which then replaces it in one step.
    Missing parent folders are created.
    """
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        if not os.access(path, os.W_OK):  # a rename would replace a file the user cannot write to
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        mode = path.stat().st_mode & 0o777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _version(value: bool) -> None:
    if value:
        typer.echo(f"spinlens {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """spinlens command line."""


ModelsOption = Annotated[
    Path | None,
    typer.Option("--models", help="Folder of models built by 'spinlens train' (default: the shipped ones)."),
]
EpochsOption = Annotated[
    int, typer.Option(min=1, max=20, help="Fine-tuning epochs of the technique encoder.")
]
CheckpointOption = Annotated[
    Path | None,
    typer.Option(
        help="Keep the encoder's fine-tuned PyTorch weights in this file (the refitted ones beside it, "
        "NAME-refit.pt); weights already there are reused instead of fine-tuning again."
    ),
]
UnlabelledOption = Annotated[
    Path | None,
    typer.Option(
        "--unlabelled",
        help="Self-train on this folder of *.txt articles without labels: the encoder fine-tuned on the "
        "labelled ones gives its probabilities as their targets, and a second encoder is fine-tuned on "
        "both (see --student-epochs; the shipped recipe adds about a third to the fine-tuning time). The "
        "shipped encoder is self-trained on semeval2025-task10/EN/raw-documents.",
    ),
]
RefitOption = Annotated[
    bool,
    typer.Option(
        "--refit/--no-refit",
        help="After tuning on the held-out sixth, fine-tune the encoder again on every article "
        "and ship that model (a second fine-tuning: twice the time).",
    ),
]
StudentEpochsOption = Annotated[
    int,
    typer.Option(min=1, max=20, help="Fine-tuning epochs of the self-trained encoder (the student)."),
]
StudentStartOption = Annotated[
    bool,
    typer.Option(
        "--student-from-teacher/--student-from-minilm",
        help="Start the self-trained encoder from the first encoder's weights (as shipped) or from MiniLM "
        "(round 11's recipe, with --student-epochs 6: about six times as many steps).",
    ),
]
FoldsOption = Annotated[int, typer.Option(min=2, max=20, help="Number of cross-validation folds.")]
FoldSeedOption = Annotated[int, typer.Option(help="Random seed for the fold split.")]
JsonOutOption = Annotated[Path | None, typer.Option("--json", help="Also write the figures as JSON.")]
TrainThreadsOption = Annotated[
    int,
    typer.Option(
        "--threads",
        min=1,
        max=64,
        help="PyTorch threads for fine-tuning. The shipped encoder was trained with 2; another count "
        "sums in another order and may change the weights' last digits. With 1, several folds can "
        "run side by side.",
    ),
]


@app.command()
def analyze(
    source: Annotated[
        str | None,
        typer.Argument(help="A .txt/.md/.html file, an http(s) URL, or '-' for standard input."),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.text,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the report to this file.")] = None,
    models: ModelsOption = None,
    allow_non_english: Annotated[
        bool, typer.Option("--allow-non-english", help="Analyse text that is not English (unreliable).")
    ] = False,
    example: Annotated[bool, typer.Option("--example", help="Analyse the bundled example article.")] = False,
    profile: Annotated[
        Profile,
        typer.Option(help="default: everything; fast: techniques, genre, frames, narratives (no parse)."),
    ] = Profile.default,
) -> None:
    """Analyse one article and report what it does to persuade."""
    from spinlens.ingest import read_input

    if example == (source is not None):
        fail("give exactly one of SOURCE or --example")
    if models is not None and not models.is_dir():
        fail(f"models folder not found: {models}")
    if out is not None and out.exists() and out.is_dir():
        fail(f"--out is a directory: {out}")
    target = str(EXAMPLE_ARTICLE) if example else str(source)
    article = read_input(target, stdin=sys.stdin.buffer, allow_non_english=allow_non_english)
    for warning in article.meta.get("warnings", []):
        say(f"spinlens: warning: {warning}")

    from spinlens.models.runtime import available_cores
    from spinlens.pipeline import load_pipeline

    # The article is read while the models load: loading keeps one core busy, and the
    # ONNX models computing beside it get the others (on two cores, more threads only
    # slowed the loading down).
    threads = max(1, available_cores() - 1)
    pipeline = load_pipeline(profile.value, models_dir=models, threads=threads, ahead=[article])
    _SKIP_TEARDOWN.add("analyze")
    analysis = pipeline(article)

    from spinlens.report import render

    if out is None and output_format is OutputFormat.text:
        from rich.console import Console

        from spinlens.report.terminal import print_analysis

        print_analysis(analysis, Console())
        return
    rendered = render(analysis, output_format.value)
    if out is None:
        sys.stdout.write(rendered if rendered.endswith("\n") else rendered + "\n")
        return
    try:
        write_file_safely(out, rendered)
    except OSError as exc:
        fail(f"could not write {out}: {exc.strerror or exc}")
    say(f"wrote {output_format.value} report to {out}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    db: Annotated[
        str | None,
        typer.Option(
            help="Database URL (sqlite:///path or postgresql://...); default: SQLite in your data folder."
        ),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            help="Token that write requests must carry; required unless listening on loopback.",
            envvar="SPINLENS_TOKEN",
        ),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Analysis worker processes.")] = 2,
    timeout: Annotated[float, typer.Option(min=1, help="Per-request analysis time limit, seconds.")] = 60.0,
    models: ModelsOption = None,
) -> None:
    """Start the local web app and JSON API."""
    import uvicorn

    from spinlens.store.db import default_database_url
    from spinlens.web.app import create_app
    from spinlens.web.settings import WebSettings

    settings = WebSettings(
        db_url=db or default_database_url(),
        host=host,
        port=port,
        token=token,
        workers=workers,
        analysis_timeout=timeout,
        models_dir=models,
    )
    settings.check()
    say(f"spinlens {__version__}: store {settings.db_url}; starting {workers} analysis workers...")
    say(f"open http://{host if ':' not in host else f'[{host}]'}:{port}/ when the server says it is running")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info", timeout_graceful_shutdown=5)


def _use_every_core() -> None:
    """Let the ONNX models of a command that works in this one process compute on every core.

    The tests find the same numbers to the last bit with one and two threads
    (``tests/test_models_runtime.py``).
    """
    from spinlens.models.runtime import available_cores, use_threads

    use_threads(available_cores())


def _fine_tune_settings(
    epochs: int, refit: bool, student_epochs: int, student_from_teacher: bool, threads: int
) -> FineTuneSettings:
    """The technique encoder's fine-tuning as the training and evaluation commands' options set it."""
    from spinlens.train.technique_encoder import FineTuneSettings

    return FineTuneSettings(
        epochs=epochs,
        refit=refit,
        student_epochs=student_epochs,
        student_from_teacher=student_from_teacher,
        threads=threads,
    )


def _require_dir(path: Path, what: str) -> None:
    if not path.is_dir():
        fail(f"{what} not found or not a folder: {path}")


def _require_out_folder(path: Path) -> None:
    """Refuse a file as --out before any work is done, rather than after it."""
    if path.exists() and not path.is_dir():
        fail(f"--out {path} is a file, not a folder")


@train_app.command("semeval2023")
def train_semeval2023(
    data: Annotated[Path, typer.Option("--data", help="A folder laid out like semeval2023-task3/en.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the models.")],
    seed: Annotated[int, typer.Option(help="Random seed.")] = 13,
) -> None:
    """Train the technique, genre and frame models."""
    from spinlens.train.semeval2023 import train

    _require_dir(data, "data folder")
    _use_every_core()
    path = train(data, out, seed=seed, progress=say)
    say(f"models written to {path}")


@train_app.command("semeval2025")
def train_semeval2025(
    data: Annotated[Path, typer.Option("--data", help="A folder laid out like semeval2025-task10/EN.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the models.")],
    seed: Annotated[int, typer.Option(help="Random seed.")] = 13,
) -> None:
    """Train the narrative and entity-role models."""
    from spinlens.train.semeval2025 import train

    _require_dir(data, "data folder")
    _use_every_core()
    path = train(data, out, seed=seed, progress=say)
    say(f"models written to {path}")


@train_app.command("techniques-encoder")
def train_techniques_encoder(
    data: Annotated[Path, typer.Option("--data", help="A folder laid out like semeval2023-task3/en.")],
    out: Annotated[
        Path, typer.Option("--out", help="Folder for model.onnx, config.json and model_card.json.")
    ],
    seed: Annotated[int, typer.Option(help="Random seed.")] = 13,
    epochs: EpochsOption = ENCODER_EPOCHS,
    checkpoint: CheckpointOption = None,
    refit: RefitOption = ENCODER_REFIT,
    unlabelled: UnlabelledOption = None,
    student_epochs: StudentEpochsOption = ENCODER_STUDENT_EPOCHS,
    student_from_teacher: StudentStartOption = ENCODER_STUDENT_FROM_TEACHER,
    threads: TrainThreadsOption = ENCODER_THREADS,
) -> None:
    """Fine-tune MiniLM for techniques and export it to int8 ONNX (needs the train extra: PyTorch)."""
    from spinlens.train.technique_encoder import train

    _require_dir(data, "data folder")
    _use_every_core()
    settings = _fine_tune_settings(epochs, refit, student_epochs, student_from_teacher, threads)
    path = train(
        data,
        out,
        seed=seed,
        settings=settings,
        progress=say,
        checkpoint=checkpoint,
        unlabelled_dir=unlabelled,
    )
    say(f"technique encoder written to {path}")


@train_app.command("all")
def train_all(
    data: Annotated[
        Path,
        typer.Option(
            "--data", help="A folder holding semeval2023-task3/en and semeval2025-task10/EN (../shared/data)."
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Models root to write (one folder per task; use with --models).")
    ],
    seed: Annotated[int, typer.Option(help="Random seed.")] = 13,
    epochs: EpochsOption = ENCODER_EPOCHS,
    checkpoint: CheckpointOption = None,
    refit: RefitOption = ENCODER_REFIT,
    self_training: Annotated[
        bool,
        typer.Option(
            "--self-training/--no-self-training",
            help="Self-train the technique encoder on the SemEval-2025 articles (semeval2025-task10/EN/"
            "raw-documents) as unlabelled text, as 'train techniques-encoder --unlabelled' does.",
        ),
    ] = ENCODER_SELF_TRAINING,
    student_epochs: StudentEpochsOption = ENCODER_STUDENT_EPOCHS,
    student_from_teacher: StudentStartOption = ENCODER_STUDENT_FROM_TEACHER,
    threads: TrainThreadsOption = ENCODER_THREADS,
) -> None:
    """Rebuild every shipped model (about 50 min on 2 cores; train extra) and compare with shipped ones."""
    from spinlens.train.rebuild import SHIPPED_ROOT, compare_models, rebuild_all

    _require_dir(data, "data folder")
    _use_every_core()
    seconds = rebuild_all(
        data,
        out,
        seed=seed,
        settings=_fine_tune_settings(epochs, refit, student_epochs, student_from_teacher, threads),
        checkpoint=checkpoint,
        progress=say,
        self_training=self_training,
    )
    typer.echo(f"models written to {out} in {sum(seconds.values()) / 60:.1f} min")
    for task, spent in seconds.items():
        typer.echo(f"  {task:<19} {spent:7.0f} s")
    if out.resolve() == SHIPPED_ROOT.resolve():
        typer.echo("wrote over the shipped models: `git diff --stat spinlens/models` shows what changed")
        return
    checks = compare_models(out)
    typer.echo("compared with the shipped models (weights, ONNX bytes, settings):")
    for check in checks:
        detail = f": {check.detail}" if check.detail else ""
        typer.echo(f"  {check.task + '/' + check.file:<32} {check.status}{detail}")
    same = sum(c.status == "identical" for c in checks)
    typer.echo(f"{same} of {len(checks)} files identical to the shipped ones")
    if same < len(checks):
        typer.echo(
            "(training holds numpy, OpenBLAS and PyTorch to their AVX2 kernels on every x86-64 CPU, but "
            "onnxruntime picks its own by CPU: what passes through MiniLM's int8 kernels, the heads that "
            "read its embeddings and the encoder's tuned thresholds, can differ between CPUs with and "
            "without AVX-512; see docs/quality.md, 'Reproducing and retraining')"
        )


def _write_json(path: Path, data: object) -> None:
    import json

    try:
        write_file_safely(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    except OSError as exc:
        fail(f"could not write {path}: {exc.strerror or exc}")


@evaluate_app.command("semeval2023")
def evaluate_semeval2023(
    data: Annotated[Path, typer.Option("--data", help="A folder laid out like semeval2023-task3/en.")],
    folds: FoldsOption = 5,
    seed: FoldSeedOption = 13,
    json_out: JsonOutOption = None,
) -> None:
    """k-fold cross-validation of techniques, genre and frames with the official metrics."""
    from spinlens.evaluate.semeval2023 import cross_validate

    _require_dir(data, "data folder")
    _use_every_core()
    report = cross_validate(data, folds=folds, seed=seed, progress=say)
    typer.echo(report.format_table())
    if json_out:
        _write_json(json_out, report.to_dict())


@evaluate_app.command("semeval2025")
def evaluate_semeval2025(
    data: Annotated[Path, typer.Option("--data", help="A folder laid out like semeval2025-task10/EN.")],
    folds: FoldsOption = 5,
    seed: FoldSeedOption = 13,
    json_out: JsonOutOption = None,
) -> None:
    """k-fold cross-validation of narratives and entity roles with the official metrics."""
    from spinlens.evaluate.semeval2025 import cross_validate

    _require_dir(data, "data folder")
    _use_every_core()
    report = cross_validate(data, folds=folds, seed=seed, progress=say)
    typer.echo(report.format_table())
    if json_out:
        _write_json(json_out, report.to_dict())


@evaluate_app.command("techniques-encoder")
def evaluate_techniques_encoder(
    data: Annotated[Path, typer.Option("--data", help="A folder laid out like semeval2023-task3/en.")],
    folds: FoldsOption = 5,
    fold: Annotated[
        list[int] | None,
        typer.Option(
            help="Run only this fold (1-based; repeatable). Each takes about 20 min on 2 cores "
            "(twice that with --refit; about 25 with --unlabelled, which fine-tunes a second model "
            "from the first for --student-epochs)."
        ),
    ] = None,
    seed: FoldSeedOption = 13,
    epochs: EpochsOption = ENCODER_EPOCHS,
    refit: RefitOption = ENCODER_REFIT,
    unlabelled: UnlabelledOption = None,
    student_epochs: StudentEpochsOption = ENCODER_STUDENT_EPOCHS,
    student_from_teacher: StudentStartOption = ENCODER_STUDENT_FROM_TEACHER,
    threads: TrainThreadsOption = ENCODER_THREADS,
    json_out: JsonOutOption = None,
    checkpoints: Annotated[
        Path | None,
        typer.Option(
            help="Keep each fold's fine-tuned weights in this folder and reuse them on the next run "
            "(then a fold takes minutes: only export, tuning and prediction run again)."
        ),
    ] = None,
) -> None:
    """Cross-validate the fine-tuned technique encoder beside the linear models (needs PyTorch)."""
    from spinlens.evaluate.technique_encoder import cross_validate_encoder
    from spinlens.train.technique_encoder import read_unlabelled

    _require_dir(data, "data folder")
    _use_every_core()
    if fold and any(not 1 <= f <= folds for f in fold):
        fail(f"--fold must be between 1 and {folds}")
    report = cross_validate_encoder(
        data,
        folds=folds,
        seed=seed,
        folds_to_run=[f - 1 for f in fold] if fold else None,
        settings=_fine_tune_settings(epochs, refit, student_epochs, student_from_teacher, threads),
        progress=say,
        checkpoints=checkpoints,
        unlabelled=read_unlabelled(unlabelled) if unlabelled is not None else (),
    )
    typer.echo(report.table())
    if json_out:
        _write_json(json_out, report.to_dict())


@predict_app.command("semeval2023")
def predict_semeval2023(
    articles_dir: Annotated[Path, typer.Argument(help="Folder of article<ID>.txt files.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the labels-subtask-*.txt files.")],
    models: ModelsOption = None,
    linear: Annotated[
        bool,
        typer.Option(
            "--linear", help="Linear models only, as --profile fast: no encoder for techniques or genre."
        ),
    ] = False,
) -> None:
    """Write SemEval-2023 Task 3 subtask 1, 2 and 3 predictions."""
    from spinlens.analysers.registry import task_models_dir
    from spinlens.models.store import load_semeval2023
    from spinlens.models.technique_encoder import EncoderWithLinear, load_technique_encoder
    from spinlens.report.semeval import write_semeval2023_predictions

    _require_dir(articles_dir, "articles folder")
    _require_out_folder(out)
    _use_every_core()
    semeval2023 = load_semeval2023(models)
    techniques = None
    if not linear:
        encoder = load_technique_encoder(task_models_dir(models, "techniques_encoder"))
        techniques = EncoderWithLinear(encoder, semeval2023)
    counts = write_semeval2023_predictions(articles_dir, out, semeval2023, techniques, embed=not linear)
    say(", ".join(f"{name}: {n}" for name, n in counts.items()) + f" -> {out}")


@predict_app.command("semeval2025")
def predict_semeval2025(
    docs_dir: Annotated[Path, typer.Argument(help="Folder of <ID>.txt documents.")],
    entities: Annotated[Path, typer.Option("--entities", help="Mentions file: file, entity, start, end.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the subtask-*-annotations.txt files.")],
    models: ModelsOption = None,
) -> None:
    """Write SemEval-2025 Task 10 subtask 1 and 2 predictions."""
    from spinlens.models.semeval2025 import load_semeval2025
    from spinlens.report.semeval2025 import write_semeval2025_predictions

    _require_dir(docs_dir, "documents folder")
    _require_out_folder(out)
    if not entities.is_file():
        fail(f"mentions file not found: {entities}")
    _use_every_core()
    counts = write_semeval2025_predictions(
        docs_dir, entities, out, load_semeval2025(models), warn=lambda text: say(f"spinlens: warning: {text}")
    )
    say(", ".join(f"{name}: {n}" for name, n in counts.items()) + f" -> {out}")


def _exit_now(code: int) -> NoReturn:
    """End the process without Python tearing down every object it holds.

    After ``analyze`` that teardown (spaCy's vocabulary and the models: millions of
    objects freed one by one) took 0.1-0.3 s of the user's wait, for memory the
    operating system frees at once. Output is flushed and logging shut down first; the
    command has closed its files, and it starts no exit handler of its own.
    """
    try:
        sys.stdout.flush()
    except OSError:  # a closed pipe: what was left could not be written
        code = code or 1
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


def main() -> None:
    """Console entry point: bad input ends with one line on stderr, never a traceback."""
    # As the process ends, Python's collector walks every object still alive (spaCy's
    # vocabulary and the models: millions of them) several times over: a third of a
    # second after loading the models. Frozen objects are skipped, and the operating
    # system frees the memory anyway; exit handlers still run. (`analyze` skips the
    # teardown altogether, see _exit_now; errors and the other commands end here.)
    atexit.register(gc.freeze)
    try:
        # Not standalone: Typer would draw a usage error in a box over several lines.
        code = app(standalone_mode=False)
    except typer.TyperException as exc:  # a usage error (bad option value, missing argument)
        command = getattr(getattr(exc, "ctx", None), "command_path", "spinlens")
        message = exc.format_message()
        if message:  # no message: a bare command group, whose help was just printed
            typer.echo(f"spinlens: error: {message} (see '{command} --help')", err=True)
        sys.exit(getattr(exc, "exit_code", 2))
    except typer.Abort:
        typer.echo("spinlens: interrupted", err=True)
        sys.exit(130)
    except SystemExit as exc:
        if _SKIP_TEARDOWN and (exc.code is None or isinstance(exc.code, int)):
            _exit_now(exc.code or 0)
        raise
    except SpinlensError as exc:
        typer.echo(f"spinlens: error: {exc}", err=True)
        sys.exit(2)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            sys.exit(1)
        # A file that could not be read or written (permissions, a full disk) mid-command.
        where = f"{exc.filename}: " if exc.filename else ""
        typer.echo(f"spinlens: error: {where}{exc.strerror or exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.echo("spinlens: interrupted", err=True)
        sys.exit(130)
    code = code if isinstance(code, int) else 0  # a command's own return value is not an exit status
    if _SKIP_TEARDOWN:
        _exit_now(code)
    sys.exit(code)


if __name__ == "__main__":
    main()

"""Training asks for the same numeric kernels on every x86-64 CPU (spinlens.train.kernels)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from spinlens.train.kernels import PINNED, _cpu_has_avx2, blas_kernels, pin_training_kernels

X86 = platform.machine().lower() in {"x86_64", "amd64"}
HAS_AVX2 = X86 and _cpu_has_avx2()
FLAGS = "processor\t: 0\nflags\t\t: fpu sse sse2 avx avx2 fma\n"


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in PINNED}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**clean, **env},
    )


def test_avx2_is_read_from_the_cpu_flags(tmp_path: Path) -> None:
    info = tmp_path / "cpuinfo"
    info.write_text(FLAGS)
    assert _cpu_has_avx2(info)
    info.write_text(FLAGS.replace(" avx2", ""))
    assert not _cpu_has_avx2(info)
    assert not _cpu_has_avx2(tmp_path / "missing")


def test_nothing_is_pinned_once_numpy_has_chosen_its_kernels() -> None:
    assert "numpy" in sys.modules  # pytest has loaded it here
    before = dict(os.environ)
    assert pin_training_kernels() == {}
    assert dict(os.environ) == before


@pytest.mark.skipif(not X86, reason="the kernels are pinned on x86-64 CPUs only")
def test_kernels_are_pinned_before_numpy_loads_and_a_users_setting_wins(tmp_path: Path) -> None:
    info = tmp_path / "cpuinfo"
    info.write_text(FLAGS)
    code = f"""
        import os
        from pathlib import Path
        from spinlens.train.kernels import pin_training_kernels
        made = pin_training_kernels(Path({str(info)!r}))
        print(sorted(made.items()), os.environ.get("OPENBLAS_CORETYPE"))
    """
    result = run_python(code, {})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{sorted(PINNED.items())} Haswell"
    mine = run_python(code, {"OPENBLAS_CORETYPE": "Zen"})
    assert (
        mine.stdout.strip() == f"{sorted((k, v) for k, v in PINNED.items() if k != 'OPENBLAS_CORETYPE')} Zen"
    )
    info.write_text(FLAGS.replace(" avx2", ""))
    assert run_python(code, {}).stdout.strip() == "[] None"


@pytest.mark.skipif(not HAS_AVX2, reason="this CPU has no AVX2 kernels to pin")
def test_training_commands_compute_with_the_pinned_kernels(tmp_path: Path) -> None:
    # The command group pins them before a command imports numpy: a command that trains
    # would record the same in its model card.
    code = f"""
        import sys
        from spinlens.cli import app
        from spinlens.train.kernels import blas_kernels
        try:
            app(["train", "semeval2023", "--data", {str(tmp_path / "none")!r}, "--out", {str(tmp_path)!r}])
        except SystemExit:
            pass
        print(blas_kernels())
    """
    result = run_python(code, {})
    assert result.returncode == 0, result.stderr
    assert "not found" in result.stderr  # the command ran, and refused the missing folder
    assert result.stdout.strip() == "Haswell"


def test_analysis_commands_leave_the_kernels_alone() -> None:
    code = """
        import os
        from spinlens.cli import app
        try:
            app(["analyze", "--help"])
        except SystemExit:
            pass
        print([k for k in ("OPENBLAS_CORETYPE", "ATEN_CPU_CAPABILITY") if k in os.environ])
    """
    result = run_python(code, {})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_kernels_in_use_are_named() -> None:
    assert blas_kernels()  # e.g. "Haswell" or "SkylakeX"; "unknown" where no OpenBLAS is found

"""The same numeric kernels on every x86-64 CPU, so that training rebuilds the same files.

numpy, OpenBLAS (under numpy, scipy and scikit-learn) and PyTorch (its own kernels, MKL
and oneDNN) choose their compute kernels by CPU when they load: AVX-512 ones where the CPU
has them, AVX2 ones otherwise. The kernels round differently, and one training run gave
linear coefficients up to 1e-3 apart on the two kinds of CPU these models were built
on. Training and evaluation ask for the AVX2 kernels, which every x86-64 CPU of the last
decade runs, before either library loads. A setting the user made is left as it is.

Not covered: onnxruntime, which computes the MiniLM embeddings behind a few heads, has
no such setting (its embeddings differ by about 1e-6 between the two kinds of CPU).
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

# numpy's names for its AVX-512 code paths, in 1.x and 2.x; names a version lacks are ignored.
_NUMPY_AVX512 = (
    "AVX512F AVX512CD AVX512_KNL AVX512_KNM AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR X86_V4"
)
PINNED = {
    "NPY_DISABLE_CPU_FEATURES": _NUMPY_AVX512,  # numpy's sorts and functions such as log and exp
    "OPENBLAS_CORETYPE": "Haswell",  # numpy, scipy, scikit-learn
    "ATEN_CPU_CAPABILITY": "avx2",  # PyTorch's own kernels
    "MKL_ENABLE_INSTRUCTIONS": "AVX2",  # PyTorch's matrix products
    "ONEDNN_MAX_CPU_ISA": "AVX2",  # PyTorch's oneDNN kernels
}
_LOADS_KERNELS = ("numpy", "scipy", "torch")
_CPU_INFO = Path("/proc/cpuinfo")


def _cpu_has_avx2(cpu_info: Path = _CPU_INFO) -> bool:
    try:
        text = cpu_info.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return any(line.startswith("flags") and "avx2" in line.split() for line in text.splitlines())


def pin_training_kernels(cpu_info: Path = _CPU_INFO) -> dict[str, str]:
    """Ask for AVX2 kernels where the CPU has them; returns the settings this call made.

    Nothing is made when a library that reads them has loaded already (its kernels are
    chosen), off x86-64, or where the CPU's features cannot be read (Linux only).
    """
    if any(name in sys.modules for name in _LOADS_KERNELS):
        return {}
    if platform.machine().lower() not in {"x86_64", "amd64"} or not _cpu_has_avx2(cpu_info):
        return {}
    made = {name: value for name, value in PINNED.items() if name not in os.environ}
    os.environ.update(made)
    return made


def blas_kernels() -> str:
    """The kernels OpenBLAS computes with in this process (for model cards), e.g. "Haswell"."""
    from threadpoolctl import threadpool_info

    found = sorted(
        {str(pool.get("architecture")) for pool in threadpool_info() if pool.get("user_api") == "blas"}
    )
    return ", ".join(found) or "unknown"

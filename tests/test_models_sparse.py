import subprocess
import sys


def test_scipy_sparse_imports_without_unused_numpy_modules_which_still_work() -> None:
    # scipy's array-API layer reads every public name of numpy when it is imported, which imports
    # numpy.f2py, numpy.testing, numpy.ma and numpy.polynomial (a tenth of a second of a cold
    # start). They must stay unimported, and be the real modules when something does use them.
    script = """
import sys
import numpy as np
from spinlens.models.sparse import sparse
names = ("numpy.f2py", "numpy.testing", "numpy.ma", "numpy.polynomial")
print(sorted(name for name in names if name in sys.modules))
print(sorted(name for name in ("f2py", "testing", "ma", "polynomial") if name in vars(np)))
print(float((sparse.csr_matrix(np.eye(2)) @ np.ones(2)).sum()))
import scipy._lib.array_api_compat.numpy as xp
xp.testing.assert_allclose(np.ones(2), np.ones(2))
print(type(np.ma).__name__, np.ma.masked_array([1, 2]).sum(), "numpy.testing" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:4] == ["[]", "[]", "2.0", "module 3 True"]

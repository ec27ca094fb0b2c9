#!/usr/bin/env bash
# Creates .venv and installs spinlens with the exact, hash-checked versions of requirements.lock.
# Everything comes from PyPI; nothing is downloaded at run time afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "spinlens needs Python 3.11 or newer")'
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
# pip byte-compiles what it installs, but not an editable project: without this, a shell that sets
# PYTHONDONTWRITEBYTECODE compiles spinlens's modules again at every start (~0.1 s of a cold start).
# Python checks each cached file against its source, so an edited module is still read fresh.
.venv/bin/python -m compileall -q spinlens
echo "spinlens installed in .venv ($(.venv/bin/spinlens --version))"

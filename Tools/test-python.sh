#!/usr/bin/env bash
# Tests the Python companion (python/) against the Swift tool: installs it with its test dependencies into a
# virtual environment (.build/python-venv, from the package index), builds `rawquant`, runs pytest.
# Usage: Tools/test-python.sh [pytest options]
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build/python-venv
python=${PYTHON:-/usr/bin/python3}
[ -x "$python" ] || python=python3
if [ ! -x "$venv/bin/python" ]; then
    mkdir -p .build
    "$python" -m venv "$venv"
fi
# torch (for the torch faces, the detector twin and the ONNX export) only from a local CPU wheel (PIP_FIND_LINKS,
# /opt/wheels on the project's machines) or when RAWQUANT_TEST_TORCH=1; otherwise those tests skip, saying so.
extras=()
links=${PIP_FIND_LINKS:-/opt/wheels}
case "${RAWQUANT_TEST_TORCH:-auto}" in
    1) extras=(torch onnx onnxruntime rawpy) ;;
    auto) compgen -G "$links/torch-*.whl" >/dev/null && extras=(torch onnx onnxruntime rawpy) ;;
esac
"$venv/bin/python" -m pip install -q --disable-pip-version-check --find-links "$links" numpy safetensors pytest "dask[distributed]" "${extras[@]}"
"$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps --force-reinstall ./python
# Build the tool unless `swift test -c release` (or a build) already made it from the current sources.
if [ ! -x .build/release/rawquant ] || [ -n "$(find Sources Package.swift -newer .build/release/rawquant -print -quit)" ]; then
    swift build -c release --product rawquant 2>&1 | grep -E "error:" && exit 1 || true
fi
RAWQUANT_BIN="$PWD/.build/release/rawquant" "$venv/bin/python" -m pytest -q python/tests "$@"

#!/usr/bin/env bash
# Build dist/opstui: one executable holding Python, opstui, its dependencies and the demo
# workspace (PyInstaller, one file; packaging/opstui.spec says what it collects and why).
#
# Run from the repository root after the README's test install
# (`python3 -m venv .venv && .venv/bin/pip install -e '.[test]'`); it adds the build tool,
# pinned as the `binary` extra in pyproject.toml, to that environment. VENV names another one.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${VENV:-.venv}

"$venv/bin/pip" install --quiet -e '.[binary]'
rm -rf build/pyinstaller dist/opstui
"$venv/bin/pyinstaller" --noconfirm --clean --log-level ERROR \
    --distpath dist --workpath build/pyinstaller packaging/opstui.spec
dist/opstui --version
ls -l dist/opstui

#!/usr/bin/env bash
# Build dist/opstui: one executable holding Python, opstui, its dependencies and the demo
# workspace. PyInstaller builds opstui's one folder (packaging/opstui.spec says what it
# collects and why); Zig's C compiler builds the launcher (packaging/launcher.c), a small
# static program that unpacks that folder into the user's cache on the first run and starts
# it from there on every run; packaging/bundle.py packs the folder behind the launcher.
#
# Run from the repository root after the README's test install
# (`python3 -m venv .venv && .venv/bin/pip install -e '.[test]'`); it adds the build tools,
# pinned as the `binary` extra in pyproject.toml, to that environment. VENV names another one.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${VENV:-.venv}
work=build/binary

"$venv/bin/pip" install --quiet -e '.[binary]'
rm -rf build/pyinstaller "$work/opstui" dist/opstui
mkdir -p "$work" dist
"$venv/bin/pyinstaller" --noconfirm --clean --log-level ERROR \
    --distpath "$work" --workpath build/pyinstaller packaging/opstui.spec
ZIG_GLOBAL_CACHE_DIR=build/zig-cache ZIG_LOCAL_CACHE_DIR=build/zig-cache \
    "$venv/bin/python" -m ziglang cc -target "$(uname -m)-linux-musl" -static -Os \
    -Wall -Wextra -Werror -o "$work/launcher" packaging/launcher.c
version=$("$venv/bin/python" -c 'import opstui; print(opstui.__version__)')
"$venv/bin/python" packaging/bundle.py "$work/launcher" "$work/opstui" dist/opstui \
    --version "$version"
# Tried once, unpacking into a cache of the build's own, not the user's.
rm -rf "$work/cache"
XDG_CACHE_HOME=$PWD/$work/cache dist/opstui --version
ls -l dist/opstui

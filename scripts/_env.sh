# Sourced by scripts/start and scripts/test: finds Python >= 3.12, makes .venv, installs the project.
# Idempotent: a second run reuses the environment unless pyproject.toml changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"

python_ok() {
  "$1" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
  local candidates=() c
  [ -n "${CCHC_PYTHON:-}" ] && candidates+=("$CCHC_PYTHON")
  for c in python3.13 python3.12 python3 python; do
    command -v "$c" >/dev/null 2>&1 && candidates+=("$(command -v "$c")")
  done
  local roots=("${PYENV_ROOT:-$HOME/.pyenv}" /root/.pyenv /opt/pyenv /usr/local/pyenv)
  local r
  for r in "${roots[@]}"; do
    for c in "$r"/versions/3.13*/bin/python3 "$r"/versions/3.12*/bin/python3 "$r"/versions/3.1[4-9]*/bin/python3; do
      [ -x "$c" ] && candidates+=("$c")
    done
  done
  for c in /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
    [ -x "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    if python_ok "$c"; then echo "$c"; return 0; fi
  done
  return 1
}

ensure_venv() {
  if [ -x "$VENV/bin/python" ] && python_ok "$VENV/bin/python"; then
    return 0
  fi
  local py
  if ! py="$(find_python)"; then
    echo "cchc needs Python 3.12 or newer, and none was found (looked for python3.13, python3.12, python3 and pyenv versions)." >&2
    echo "Install one (on Debian/Ubuntu: apt-get install python3.12 python3.12-venv), or set CCHC_PYTHON=/path/to/python3.12, and run this again." >&2
    exit 1
  fi
  echo "Using $py ($("$py" --version 2>&1))"
  rm -rf "$VENV"
  "$py" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
}

# install_project EXTRAS: installs the project (editable) with the given extras, once per pyproject.toml
install_project() {
  local extras="${1:-}"
  local spec="."
  [ -n "$extras" ] && spec=".[$extras]"
  local stamp="$VENV/.installed-$(cat pyproject.toml | sha1sum | cut -c1-12)-${extras:-base}"
  if [ ! -f "$stamp" ]; then
    echo "Installing cchc${extras:+ with $extras dependencies} into .venv ..."
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$spec"
    touch "$stamp"
  fi
}

ensure_venv
export PATH="$VENV/bin:$PATH"

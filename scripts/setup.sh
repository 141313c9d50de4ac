#!/usr/bin/env bash
# Sets up everything streamkit needs on this machine: system packages (Debian/Ubuntu),
# the .venv with pinned Python packages, and the models (sha256-checked).
# Called by `make demo`, `make test` and `make bench`; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(portaudio19-dev obs-studio xvfb xauth libgl1-mesa-dri fonts-noto-cjk chromium espeak-ng sox ffmpeg)
PYTHON="${PYTHON:-python3}"

missing_system_packages() {
  local pkg
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  mapfile -t missing < <(missing_system_packages)
  if [ "${#missing[@]}" -gt 0 ]; then
    cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
    if [ "$(id -u)" -eq 0 ]; then
      echo "streamkit setup: installing system packages: ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "streamkit setup: these system packages are missing: ${missing[*]}" >&2
      echo "run this, then 'make' again:" >&2
      echo "  sudo sh -c '$cmd'" >&2
      exit 1
    fi
  fi
else
  echo "streamkit setup: not a Debian/Ubuntu system; install OBS Studio, PortAudio, ffmpeg and a CJK font yourself (see README)." >&2
fi

"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "streamkit needs Python 3.11 or newer")'
if [ ! -x .venv/bin/python ]; then
  echo "streamkit setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
echo "streamkit setup: installing Python packages (exact versions from constraints.txt)"
.venv/bin/python -m pip install -q -c constraints.txt -e ".[test,mic]"
echo "streamkit setup: resolving models (sha256-checked)"
.venv/bin/streamkit models fetch

#!/usr/bin/env bash
# Rewrites constraints.txt: the exact versions of everything a fresh `.[test,mic]` install resolves to
# within pyproject.toml's ranges, so `make test` and CI install the same bytes every time.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q --upgrade pip
"$tmp/venv/bin/python" -m pip install -q ".[test,mic]"
{
  echo "# Exact versions that \`make test\`, \`make demo\` and CI install (pip install -c constraints.txt)."
  echo "# Regenerate after changing dependencies: scripts/lock.sh"
  "$tmp/venv/bin/python" -m pip freeze | grep -v -i "^streamkit"
} > constraints.txt
echo "constraints.txt: $(grep -vc '^#' constraints.txt) packages pinned"

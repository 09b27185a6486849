#!/usr/bin/env bash
# End-to-end checks of the real `versus` binary: the bundled site builds,
# passes the independent audit, and bad input fails the way a compiler does.
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSUS=$(realpath "${VERSUS:-.build/debug/versus}")
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

[ -x "$SHARED/tools/site-audit" ] || fail "$SHARED/tools/site-audit not found (set SHARED)"
"$SHARED/tools/site-audit" "$WORK/output" --base-url "$BASE_URL" --install | tee "$WORK/audit.txt"
grep -q ' 0 failed$' "$WORK/audit.txt" || fail "site-audit reported failures"
ok "site-audit: $(tail -n1 "$WORK/audit.txt")"

# 2. normalize: both formats, and a line per file even when one is bad.
"$VERSUS" normalize content/001_e95fb578502a2795.txt >"$WORK/n.md" || fail "normalize --format markdown failed"
grep -q '^title: "Bleeding Runway on Kubernetes or Pulumi?"$' "$WORK/n.md" || fail "normalize --format markdown"
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

# 4. Template mistakes: each is an error at file:line:column, the build exits non-zero and
#    writes nothing (no output/ for a first build; an earlier output/ exactly as it was).
T="$WORK/tpl"
mkdir -p "$T" && cp -r content templates versus.yml lastmod.tsv "$T/"
"$VERSUS" build --root "$T" >/dev/null 2>&1 || fail "template fixture does not build"
good=$(cd "$T/output" && find . -type f -exec md5sum {} + | sort | md5sum)
cp "$T/templates/comparison.mustache" "$WORK/comparison.mustache"
template_case() { # name, sed script, expected message (a grep -E pattern after "file:line:column: error: ")
  local name=$1 script=$2 expect=$3 status
  cp "$WORK/comparison.mustache" "$T/templates/comparison.mustache"
  sed -i -e "$script" "$T/templates/comparison.mustache"
  cmp -s "$WORK/comparison.mustache" "$T/templates/comparison.mustache" && fail "$name: the sed script changed nothing"
  for fresh in no yes; do
    local out="$T/output"
    [ "$fresh" = yes ] && out="$WORK/fresh-output"
    set +e
    "$VERSUS" build --root "$T" --output "$out" >"$WORK/t.out" 2>"$WORK/t.err"
    status=$?
    set -e
    [ "$status" -ne 0 ] || fail "$name: build exits 0"
    grep -Eq "^templates/comparison\.mustache:[0-9]+:[0-9]+: error: $expect" "$WORK/t.err" \
      || { cat "$WORK/t.err" >&2; fail "$name: no file:line:column error matching '$expect'"; }
    if [ "$fresh" = yes ]; then
      [ ! -e "$out" ] || fail "$name: a failed first build wrote $out"
    else
      [ "$(cd "$out" && find . -type f -exec md5sum {} + | sort | md5sum)" = "$good" ] || fail "$name: a failed build changed output/"
    fi
  done
  ok "template mistake, $name: exit $status, $(grep -Eo '^templates/comparison\.mustache:[0-9]+:[0-9]+' "$WORK/t.err" | head -n1), nothing written"
}
(
  cd "$T"  # paths in messages are as the user gives them: relative to where versus runs
  T=.
  template_case "mistyped parent" 's/{{<base}}/{{<baes}}/; s/{{\/base}}/{{\/baes}}/' "parent template 'baes' not found"
  template_case "mistyped variable" 's/<h1>{{title}}<\/h1>/<h1>{{titel}}<\/h1>/' "unknown variable 'titel' in 'page' \(did you mean 'title'\?\)"
  template_case "missing partial" 's/{{#has_toc}}/{{> foo}}{{#has_toc}}/' "partial 'foo' not found"
  template_case "unclosed section" 's/{{\/has_toc}}//' "section 'has_toc' is never closed"
  template_case "HTML insert of text" 's/<h1>{{title}}<\/h1>/<h1>{{{title}}}<\/h1>/' "'\\{\\{\\{title\\}\\}\\}' would insert text without escaping"
)
cp "$WORK/comparison.mustache" "$T/templates/comparison.mustache"

# 5. No silent defaults.
cmd() { set +e; "$VERSUS" "$@" >"$WORK/c.out" 2>"$WORK/c.err"; status=$?; set -e; }
cmd biuld
[ "$status" -ne 0 ] && grep -q "unknown command 'biuld'; did you mean 'build'?" "$WORK/c.err" || fail "biuld: no suggestion"
cmd --version
[ "$status" -eq 0 ] && grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+$' "$WORK/c.out" || fail "--version"
ok "unknown command suggests the nearest ('biuld' → 'build'); --version prints $(cat "$WORK/c.out")"
printf 'title: "x"\nbaseurl: "https://example.com"\n' > "$T/versus.yml"
cmd build --root "$T"
[ "$status" -ne 0 ] && grep -q "versus.yml:2: error: unknown key 'baseurl'; did you mean 'base_url'?" "$WORK/c.err" || { cat "$WORK/c.err" >&2; fail "baseurl typo"; }
rm "$T/versus.yml"
cmd build --root "$T"
[ "$status" -eq 0 ] && grep -q "versus.yml: warning: not found" "$WORK/c.err" || { cat "$WORK/c.err" >&2; fail "missing versus.yml is not a warning"; }
printf 'base_url: "https://versus.example.com"\npublish: { endpoint: "http://127.0.0.1:9", bucket: "b" }\n' > "$T/versus.yml"
AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=y cmd publish --root "$T" --dry-run
[ "$status" -ne 0 ] && grep -q "error: base_url is the placeholder" "$WORK/c.err" || { cat "$WORK/c.err" >&2; fail "publish accepts the placeholder base_url"; }
mkdir -p "$WORK/empty/content" && cp -r templates "$WORK/empty/" && printf 'base_url: "https://example.com"\n' > "$WORK/empty/versus.yml"
cmd build --root "$WORK/empty"
[ "$status" -ne 0 ] && grep -q "content: error: no sources" "$WORK/c.err" || { cat "$WORK/c.err" >&2; fail "empty content/ builds"; }
ok "baseurl typo is an error with a suggestion; missing versus.yml warns; publish refuses the placeholder; empty content/ is an error"

# 6. versus init: a new site that builds, passes the audit, and looks right in a browser.
N="$WORK/new-site"
"$VERSUS" init "$N" >/dev/null || fail "versus init"
before=$(cd "$N" && find . -type f -exec md5sum {} + | sort | md5sum)
cmd init "$N"
[ "$status" -ne 0 ] && grep -q "already exists" "$WORK/c.err" || fail "versus init overwrote a site"
[ "$(cd "$N" && find . -type f -exec md5sum {} + | sort | md5sum)" = "$before" ] || fail "a refused init changed files"
diff -r templates "$N/templates" >/dev/null || fail "versus init's templates differ from templates/"
"$VERSUS" build --root "$N" >/dev/null 2>"$WORK/init.err" || { cat "$WORK/init.err" >&2; fail "the new site does not build"; }
[ -z "$(grep -v "placeholder" "$WORK/init.err")" ] || { cat "$WORK/init.err" >&2; fail "the new site builds with warnings beyond the placeholder base_url"; }
INIT_BASE=$(sed -n 's/^base_url: *"\{0,1\}\([^"]*\)"\{0,1\}/\1/p' "$N/versus.yml")
"$SHARED/tools/site-audit" "$N/output" --base-url "$INIT_BASE" --install | tee "$WORK/init-audit.txt"
grep -q ' 0 failed$' "$WORK/init-audit.txt" || fail "site-audit failed on the site versus init writes"
ok "versus init: refuses to overwrite, builds, site-audit: $(tail -n1 "$WORK/init-audit.txt")"
"$VERSUS" check --root "$N" --error broken-image --error broken-link >"$WORK/check.txt" || { cat "$WORK/check.txt" >&2; fail "versus check on the new site"; }
ok "versus check: $(tail -n1 "$WORK/check.txt")"

# 7. In a real browser (Debian's Chromium): screenshots of a comparison page at 1280 and
#    390 px, its layout, and axe-core on every page of the new site. Missing tools fail.
SHOTS=${SCREENSHOTS:-$WORK/screenshots}
python3 Tests/e2e/browser.py "$N/output" --screenshots "$SHOTS" --shoot /postgresql-vs-sqlite/ --shoot /kubernetes-vs-nomad/ \
  --axe "${AXE_JS:-.build/axe/axe.min.js}" --axe-all | tee "$WORK/browser.txt" || fail "browser checks (see above)"
ok "browser, the new site: $(tail -n1 "$WORK/browser.txt"); screenshots in $SHOTS"
python3 Tests/e2e/browser.py "$WORK/output" --screenshots "$SHOTS" --shoot /kubernetes-vs-pulumi/ \
  --axe "${AXE_JS:-.build/axe/axe.min.js}" --axe-all | tee "$WORK/browser.txt" || fail "browser checks of the bundled site (see above)"
ok "browser, the bundled site: $(tail -n1 "$WORK/browser.txt")"

# 8. On Linux the command's allocator is jemalloc (linked, not preloaded): glibc's malloc made
#    a clean build a fifth slower and left more memory behind (README, "Speed").
if [ "$(uname -s)" = Linux ]; then
  #    The statistics go to a file, not a pipe: `grep -q` stops reading at its match, and under
  #    pipefail the SIGPIPE that then ends versus (its statistics grow with the arenas, 4 per core,
  #    past a pipe's 64 KiB on larger machines) would fail the check on a machine that passes it.
  MALLOC_CONF=stats_print:true "$VERSUS" --version >"$WORK/jemalloc.txt" 2>&1 \
    || fail "versus --version failed under MALLOC_CONF=stats_print:true"
  grep -q 'Begin jemalloc statistics' "$WORK/jemalloc.txt" \
    || fail "versus does not run on jemalloc (is libjemalloc-dev installed and linked?)"
  #    It starts with the options the command links in (`malloc_conf`, Sources/AllocatorOptions):
  #    the heap in huge pages. The environment's MALLOC_CONF above sets no such option, so these
  #    come from the binary (a build without them prints "default" and "disabled").
  grep -q 'opt.thp: "always"' "$WORK/jemalloc.txt" && grep -q 'opt.metadata_thp: "always"' "$WORK/jemalloc.txt" \
    || fail "versus does not start jemalloc with its options (malloc_conf): $(grep -E 'opt\.(metadata_)?thp' "$WORK/jemalloc.txt" | tr -s ' ' | tr '\n' ' ')"
  ok "versus runs on jemalloc, with its heap in huge pages"
fi

# The execution profile `make release` is optimised with (bench/profile.sh) is one this toolchain
# reads, and it profiles the pipeline: the reader of source texts and of Markdown pages ran in it.
# (PROFDATA: the toolchain's llvm-profdata, as the Makefile finds it.)
if [ -x "${PROFDATA:-}" ]; then
  "$PROFDATA" show --all-functions bench/versus.profdata >"$WORK/profile.txt" 2>&1 \
    || fail "bench/versus.profdata: $(head -c 300 "$WORK/profile.txt") (run 'make profile' and commit it)"
  for f in SourceTextParser MarkdownPageParser Layout; do
    grep -q "VersusCore.*$f" "$WORK/profile.txt" || fail "bench/versus.profdata has no counts for $f (run 'make profile')"
  done
  ok "bench/versus.profdata is read by this toolchain and profiles the readers"
else
  fail "no llvm-profdata beside swift or through xcrun (PROFDATA, set by make test): the release build's profile cannot be checked"
fi

echo "e2e: $pass checks passed"

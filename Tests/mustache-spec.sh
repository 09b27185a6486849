#!/usr/bin/env bash
# The official Mustache spec files, for the spec tests (Tests/VersusCoreTests/MustacheSpecTests.swift).
# They come from Debian's source package of mustache-java, which carries the spec, and are
# extracted into .build/mustache-spec/ (not committed). Nothing is downloaded when they are there.
#
# The package is fetched from the Debian mirror apt is set up with (or DEBIAN_MIRROR, the URL
# of a Debian archive, ending in /debian); its sha256 pins the exact file.
set -euo pipefail
cd "$(dirname "$0")/.."

POOL_PATH=pool/main/m/mustache-java/mustache-java_0.9.1.orig.tar.xz
SHA256=27faa16d1149570cb0e2b3832693303c8c256163eef69d8daa8630268f6510f0
INSIDE=mustache.java-mustache.java-0.9.1/compiler/src/test/resources/spec/specs
DEST=${MUSTACHE_SPEC_DIR:-.build/mustache-spec}
FILES="comments delimiters interpolation inverted partials sections"

have_all() {
  for f in $FILES; do
    [ -s "$DEST/$f.json" ] && [ -s "$DEST/$f.yml" ] || return 1
  done
  [ -s "$DEST/inheritance.yml" ]
}

if have_all; then
  echo "mustache spec: already in $DEST"
  exit 0
fi

# The first Debian archive in apt's sources (deb822 .sources files, then one-line .list files).
debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "${DEBIAN_MIRROR%/}"; return; fi
  local f
  for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    sed -n -e 's/^URIs:[[:space:]]*//p' \
           -e 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]*\).*/\2/p' "$f"
  done | tr ' ' '\n' | awk '/\/debian\/?$/ && !seen++' | sed 's:/*$::'   # awk reads to the end: no SIGPIPE under pipefail
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

mirror=$(debian_mirror)
if [ -z "$mirror" ]; then
  echo "mustache spec: no Debian archive in apt's sources; set DEBIAN_MIRROR (a Debian archive URL ending in /debian)" >&2
  echo "mustache spec: or put the spec files in $DEST (or MUSTACHE_SPEC_DIR) yourself" >&2
  exit 1
fi
url="$mirror/$POOL_PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "mustache spec: downloading $url"
curl -fsSL --retry 3 --connect-timeout 20 -o "$tmp/spec.tar.xz" "$url"
actual=$(sha256 "$tmp/spec.tar.xz")
if [ "$actual" != "$SHA256" ]; then
  echo "mustache spec: checksum mismatch for $url: got $actual, expected $SHA256" >&2
  exit 1
fi
tar -xJf "$tmp/spec.tar.xz" -C "$tmp" "$INSIDE"
mkdir -p "$DEST"
for f in $FILES; do
  cp "$tmp/$INSIDE/$f.json" "$tmp/$INSIDE/$f.yml" "$DEST/"
done
cp "$tmp/$INSIDE/inheritance.yml" "$DEST/"
have_all
echo "mustache spec: extracted into $DEST"

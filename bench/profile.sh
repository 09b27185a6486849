#!/bin/bash
# Trains the execution profile `make release` optimises versus with (profile-guided optimisation;
# README "Speed"). Run by `make profile` after a change to the reader or the pipeline; the result,
# bench/versus.profdata, is committed: LLVM's indexed form, functions that never ran left out
# (--sparse). (Not the text form: LLVM's reader of it takes a Swift name, which starts with "$",
# for the start of another section, and refuses the file.)
#
# The training builds are what users run: clean builds of generated Markdown pages and loose
# source texts (from gen_corpus.py, with another seed than the bench's corpora), a clean build of
# the real captures the reader may be tuned on (Tests/Fixtures/captures/tune and probe; the
# held-back and blind cases stay unseen), then one-page edits of each, incrementally.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
# (The toolchain's llvm-profdata, as the Makefile finds it: run this through `make profile`.)
[ -x "${PROFDATA:-}" ] || { echo "error: no llvm-profdata beside swift or through xcrun (run 'make profile')" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# LLVM's instrumentation (IR level: counts of the optimised code's blocks, which is what the
# release build's layout and inlining read), its runtime linked in by hand (the driver does that
# only for the Swift-level instrumentation, whose use crashes this compiler's inliner).
runtime=("$(dirname "$PROFDATA")"/../lib/clang/*/lib/linux/libclang_rt.profile-x86_64.a)
[ -f "${runtime[0]}" ] || { echo "error: no profile runtime (libclang_rt.profile) in the toolchain" >&2; exit 1; }
flags=(-c release --product versus --static-swift-stdlib --scratch-path .build-profile
       -Xswiftc -Xfrontend -Xswiftc -ir-profile-generate="$PWD/.build-profile/raw"
       -Xlinker "${runtime[0]}" -Xlinker -u -Xlinker __llvm_profile_runtime)
swift build "${flags[@]}"
bin=$(swift build "${flags[@]}" --show-bin-path)/versus

for format in plain source; do
  pages=$([ $format = plain ] && echo 3000 || echo 1500)
  python3 "$SHARED/bench/gen_corpus.py" --pages $pages --out "$work/$format/content" --format $format --seed 11 2>/dev/null
  cp -r templates "$work/$format/templates"
  cp versus.yml "$work/$format/"
done
mkdir -p "$work/captures/content"
cp Tests/Fixtures/captures/tune/*.txt Tests/Fixtures/captures/probe/*.txt "$work/captures/content/"
cp -r templates "$work/captures/templates"
cp versus.yml "$work/captures/"

rm -rf .build-profile/raw
export LLVM_PROFILE_FILE="$PWD/.build-profile/raw/%p.profraw"
for site in plain source captures; do
  for step in clean edit; do
    if [ $step = edit ]; then
      texts=("$work/$site/content"/*)
      printf '\nOne more paragraph for the training edit.\n' >> "${texts[0]}"
    fi
    status=0
    "$bin" build --root "$work/$site" >/dev/null 2>"$work/err" || status=$?
    # (Some captures are errors on purpose: that build reports them and exits 1.)
    if [ $status -ne 0 ] && ! { [ $site = captures ] && [ $status -eq 1 ]; }; then
      echo "error: the training build of $site ($step) failed:" >&2; tail -5 "$work/err" >&2; exit 1
    fi
  done
done
unset LLVM_PROFILE_FILE

"$PROFDATA" merge --sparse -o bench/versus.profdata .build-profile/raw/*.profraw
echo "wrote bench/versus.profdata ($(du -h bench/versus.profdata | cut -f1)) from $(ls .build-profile/raw | wc -l) runs"

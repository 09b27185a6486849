# Versus. The two commands a newcomer needs:
#   make site   build the bundled content into output/
#   make test   run every test (unit, end-to-end, audits)
# Both install what a fresh Debian machine lacks (C libraries via apt-get).

SHELL      := /bin/bash
SHARED     ?= ../shared
SWIFT      ?= swift
SUDO       := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
APT_DEPS   := libcmark:libcmark-dev zlib:zlib1g-dev libbrotlienc:libbrotli-dev sqlite3:libsqlite3-dev jemalloc:libjemalloc-dev
RELEASE    := .build/release/versus
DEBUG      := .build/debug/versus
LINUX      := $(filter Linux,$(shell uname -s))
STATIC_STDLIB := $(if $(LINUX),--static-swift-stdlib)
LTO        := $(if $(LINUX),--experimental-lto-mode=full)
RELEASE_FLAGS := $(STATIC_STDLIB) $(LTO)
# The execution profile the release build is optimised with (profile-guided optimisation, README
# "Speed"): trained by `make profile` and committed in LLVM's indexed form. Used only when the
# toolchain's own llvm-profdata reads it (another LLVM may not know its version), from a copy named
# by its digest, so a new profile is a new flag and rebuilds what it shapes. LLVM_PROFDATA is the
# one lookup of the tool: bench/profile.sh and Tests/e2e/run.sh are given it.
PROFILE       := bench/versus.profdata
LLVM_PROFDATA := $(shell d=$$(dirname "$$(readlink -f "$$(command -v $(SWIFT))")"); \
                   if [ -x "$$d/llvm-profdata" ]; then echo "$$d/llvm-profdata"; else xcrun -f llvm-profdata 2>/dev/null; fi)
BASE_URL   ?= $(shell sed -n 's/^base_url: *"\{0,1\}\([^"]*\)"\{0,1\}/\1/p' versus.yml)

TEST_TOOLS := xmllint:libxml2-utils wrk:wrk brotli:brotli chromium:chromium bc:bc gzip:gzip
# axe-core (the accessibility engine) comes from PyPI, where this package bundles axe.min.js.
AXE_WHEEL  := axe-playwright-python==0.1.8
AXE_JS     := .build/axe/axe.min.js

.PHONY: all site test deps test-deps mustache-spec generated build release profile serve publish check bench audit clean

all: site

## deps: install missing C libraries (Debian packages) found through pkg-config.
deps:
	@missing=""; for pair in $(APT_DEPS); do \
	  pc=$${pair%%:*}; pkg=$${pair##*:}; \
	  pkg-config --exists $$pc 2>/dev/null || missing="$$missing $$pkg"; \
	done; \
	if ! command -v pkg-config >/dev/null; then missing="$$missing pkg-config"; fi; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq $$missing >/dev/null; \
	fi

## test-deps: tools the tests use (xmllint for sitemap schemas, wrk for the server load run).
test-deps: deps
	@missing=""; for pair in $(TEST_TOOLS); do \
	  cmd=$${pair%%:*}; pkg=$${pair##*:}; \
	  command -v $$cmd >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq $$missing >/dev/null; \
	fi
	@python3 -m pip --version >/dev/null 2>&1 || { echo "installing: python3-pip"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq python3-pip >/dev/null; }
	@# axe-core for the browser checks: only the wheel's axe.min.js is used (no install).
	@[ -s $(AXE_JS) ] || { echo "fetching axe-core ($(AXE_WHEEL))"; rm -rf .build/axe; mkdir -p .build/axe && \
	  python3 -m pip download -q --no-deps --disable-pip-version-check -d .build/axe '$(AXE_WHEEL)' && \
	  python3 -c 'import glob, zipfile; z = zipfile.ZipFile(glob.glob(".build/axe/*.whl")[0]); open("$(AXE_JS)", "wb").write(z.read("axe_playwright_python/axe.min.js"))'; }
	@# moto's S3-compatible server, for the publishing tests.
	@command -v moto_server >/dev/null 2>&1 && python3 -c 'import moto.server' 2>/dev/null || \
	  { echo "installing moto[server] (pip)"; python3 -m pip install -q 'moto[server]' || \
	    python3 -m pip install -q --break-system-packages 'moto[server]'; }

## release: the binary `make site`, `serve`, `publish` and `bench` run. On Linux it is linked
## with the Swift runtime and Foundation inside it (--static-swift-stdlib: every retain and
## release a direct call, not one through the dynamic linker's table) and optimised across
## modules at link time (--experimental-lto-mode=full): together a clean build of 10,000 pages
## takes about 10% less time (README "Speed"). The first release build takes longer for it
## (11 to 16 minutes on 2 cores, against 7). It is also optimised with the execution profile of
## bench/versus.profdata (`make profile`): LLVM lays out and inlines the code as the training builds
## ran it, and 10,000 source texts build about 8% faster. Should that build fail, versus is
## built without link-time optimisation and the profile, with a warning. macOS ships the runtime
## with the system.
release: deps
	@pgo=""; \
	if [ -n "$(LLVM_PROFDATA)" ] && [ -s $(PROFILE) ]; then \
	  digest=$$( (sha256sum $(PROFILE) 2>/dev/null || shasum -a 256 $(PROFILE)) | cut -c1-16); \
	  copy=$$PWD/.build/versus-$$digest.profdata; \
	  if "$(LLVM_PROFDATA)" show $(PROFILE) >/dev/null 2>&1; then \
	    mkdir -p .build; [ -s $$copy ] || cp $(PROFILE) $$copy; pgo="-Xswiftc -Xfrontend -Xswiftc -ir-profile-use=$$copy"; \
	  else echo "warning: this toolchain's llvm-profdata cannot read $(PROFILE); building versus without it" >&2; fi; \
	fi; \
	$(SWIFT) build -c release --product versus $(RELEASE_FLAGS) $$pgo || { \
	  [ -z "$(LTO)$$pgo" ] && exit 1; \
	  echo "warning: the optimised build of versus failed (above); building it without $(LTO) and the profile" >&2; \
	  $(SWIFT) build -c release --product versus $(STATIC_STDLIB); }

## profile: train the execution profile the release build is optimised with (bench/profile.sh;
## about ten minutes: an instrumented build, then builds of generated pages and real captures).
profile: deps
	SHARED=$(SHARED) PROFDATA=$(LLVM_PROFDATA) bash bench/profile.sh

build: deps
	$(SWIFT) build --product versus

## site: build the bundled content into output/ (release mode).
site: release
	$(RELEASE) build

## serve: preview output/ on http://127.0.0.1:8000 with live reload.
serve: release
	$(RELEASE) serve

## publish: upload what changed to the S3-compatible bucket in versus.yml.
publish: site
	$(RELEASE) publish

## check: SEO lint over the built site.
check: site
	$(RELEASE) check

## mustache-spec: the official Mustache spec files the template engine's tests run (into .build/mustache-spec).
mustache-spec:
	bash Tests/mustache-spec.sh

## generated: remake the files made from others (the templates versus init writes,
## docs/reference.md's tables); a test fails when they drift.
generated: deps
	$(SWIFT) build --build-tests
	VERSUS_REGENERATE=1 $(SWIFT) test --skip-build --filter GeneratedFilesTests || true
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --filter GeneratedFilesTests

## test: unit and integration tests, then end-to-end checks of the real binary.
test: test-deps mustache-spec
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip VersusServeTests --skip FaultTests --skip CommandLineTests
	@# Tests with time bounds (the server's reload and load runs, publishing against faulty
	@# servers) run on their own, so their bounds measure Versus, not the other tests.
	$(SWIFT) test --skip-build --filter "VersusServeTests|FaultTests|CommandLineTests"
	SHARED=$(SHARED) VERSUS=$(DEBUG) AXE_JS=$(AXE_JS) PROFDATA=$(LLVM_PROFDATA) bash Tests/e2e/run.sh
	@# The output is whole whatever stops a build: kill -9 at 36 moments, a disk that fills up.
	SHARED=$(SHARED) VERSUS=$(DEBUG) PAGES=1000 bash Tests/e2e/faults.sh
	@# Incremental builds (and `versus serve`'s rebuilds) equal clean builds over random edits. Seeds
	@# 14 and 16 fail on the code before the fixes of the spare tree and of descriptions in a patch;
	@# serve seed 5, on the code before a failed load stopped leaving its inputs to the next rebuild.
	python3 Tests/e2e/differential.py --versus $(DEBUG) --seeds $(SHARED)/seeds --seed 14 --steps 60 --hand-edits
	python3 Tests/e2e/differential.py --versus $(DEBUG) --seeds $(SHARED)/seeds --seed 16 --steps 40
	python3 Tests/e2e/differential.py --versus $(DEBUG) --seeds $(SHARED)/seeds --seed 2 --steps 20 --serve
	python3 Tests/e2e/differential.py --versus $(DEBUG) --seeds $(SHARED)/seeds --seed 5 --steps 20 --serve

## audit: the independent audit of output/ (run `make site` first).
audit:
	$(SHARED)/tools/site-audit output --base-url $(BASE_URL) --install

## bench: Versus against Hugo on generated corpora (not a test; see bench/README.md).
bench: release
	SHARED=$(SHARED) VERSUS=$(RELEASE) bash bench/run.sh

clean:
	rm -rf .build output output.staging output.staging.old output.old

# ltk's front door: installs missing Debian packages (as root), then drives CMake.
#   make          build everything into build/ (executables in build/bin/)
#   make test     build and run every test through ctest, then the hardening
#                 stages: the same tests built with ASan+UBSan (build-asan/),
#                 the CLI tests under valgrind, a short run of every fuzzer
#   make memcheck the CLI golden tests under valgrind memcheck
#   make fuzz     every libFuzzer harness for FUZZ_SECONDS (build-fuzz/)
#   make demo     build, write the HTML report of a bundled sample and print its path
#   make install  install tools, man pages, templates, completions and libltk under PREFIX
#   make deb      Debian packages ltk and libltk-dev in build/packages (docs/install.md)
# docs/hardening.md explains the hardening stages.
BUILD    ?= build
PREFIX   ?= /usr/local
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
SAN_BUILD  ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 300
FUZZ_TEST_SECONDS ?= 30

# Debian packages needed to build (BUILD_DEBS: dpkg-dev's dpkg-shlibdeps and
# file let make deb fill in the Depends field): without them make stops.
BUILD_DEBS := gcc make cmake pkg-config libcsv-dev libcjson-dev libgsl-dev zlib1g-dev check dpkg-dev file
# Wanted at run time: gnuplot draws the report's charts (without it a report
# says so and has none).  Installed with BUILD_DEBS when root; otherwise a
# note, and the build goes on.
RUN_DEBS := gnuplot-nox
DEBS := $(BUILD_DEBS) $(RUN_DEBS)
# For make test: gnuplot-nox (the chart tests), python3 (the end-to-end
# checks), chromium (the HTML report opened headless), man-db (the man pages
# rendered), valgrind (memcheck), clang with its runtime libraries
# (libFuzzer; the sanitizer build prefers clang), zsh and bash-completion
# (the completion tests), python3-locust (samples/ci's pipeline runs
# Locust), python3-yaml (ltk cost --hpa parsed back).  Installed when root;
# otherwise what needs them is skipped or fails with a message, and the
# apt-get line is printed.
TEST_DEBS := gnuplot-nox python3 chromium man-db valgrind clang libclang-rt-dev zsh bash-completion python3-locust python3-yaml

# clang when it can link libFuzzer (checked at the time a stage runs)
HAVE_LIBFUZZER = printf 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }\n' \
	| clang -x c -fsanitize=fuzzer -o /dev/null - >/dev/null 2>&1

.PHONY: all build deps test-deps test test-unit test-sanitize memcheck fuzz fuzz-quick demo install deb clean golden bench

all: build

deps:
	@missing=""; \
	for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "ltk: installing Debian packages:$$missing"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	  else \
	    needed=""; \
	    for p in $$missing; do case " $(BUILD_DEBS) " in *" $$p "*) needed="$$needed $$p";; esac; done; \
	    if [ -n "$$needed" ]; then \
	      echo "ltk: missing Debian packages; run as root:"; \
	      echo "  apt-get update && apt-get install -y$$missing"; \
	      exit 1; \
	    fi; \
	    echo "ltk: not installed:$$missing (reports will have no charts); as root: apt-get install -y$$missing"; \
	  fi; \
	fi

$(BUILD)/CMakeCache.txt: CMakeLists.txt | deps
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS)

# A user's build keeps warnings as warnings (another gcc or other flags may
# warn where this one does not); make test builds with -Werror (WERROR=ON),
# so CI fails on a new warning.
build: deps $(BUILD)/CMakeCache.txt
	@if [ -n "$(WERROR)" ]; then cmake -S . -B $(BUILD) -DLTK_WERROR=$(WERROR) >/dev/null; fi
	cmake --build $(BUILD) -j $(JOBS)

test-deps:
	@missing=""; \
	for p in $(TEST_DEBS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "ltk: installing Debian packages for the tests:$$missing"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	  else \
	    echo "ltk: missing Debian packages for the tests (what needs them will be skipped):"; \
	    echo "  apt-get update && apt-get install -y$$missing"; \
	  fi; \
	fi

# Each stage is a separate make so that tools installed by test-deps are seen.
test: test-deps
	@$(MAKE) --no-print-directory build WERROR=ON
	@$(MAKE) --no-print-directory test-unit
	@$(MAKE) --no-print-directory test-sanitize
	@$(MAKE) --no-print-directory memcheck
	@$(MAKE) --no-print-directory fuzz-quick

test-unit: test-deps build
	@echo "== ctest ($(BUILD))"
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -LE memcheck

# The whole suite again, built with -fsanitize=address,undefined; any report
# from any process fails (tests/CMakeLists.txt).  clang when present: gcc's
# UBSan ignores log_path when linked with ASan.
test-sanitize: deps test-deps
	@echo "== ctest with ASan and UBSan ($(SAN_BUILD))"
	@if [ ! -f $(SAN_BUILD)/CMakeCache.txt ]; then \
	  cc=gcc; command -v clang >/dev/null 2>&1 && cc=clang; \
	  echo "CC=$$cc cmake -S . -B $(SAN_BUILD) -DLTK_SANITIZE=ON -DLTK_WERROR=ON $(CMAKE_FLAGS)"; \
	  CC=$$cc cmake -S . -B $(SAN_BUILD) -DLTK_SANITIZE=ON -DLTK_WERROR=ON $(CMAKE_FLAGS) >/dev/null || exit 1; \
	fi
	cmake --build $(SAN_BUILD) -j $(JOBS) >/dev/null
	cd $(SAN_BUILD) && ctest --output-on-failure -j $(JOBS)

memcheck: test-deps build
	@echo "== valgrind memcheck of the CLI tests ($(BUILD), ctest -L memcheck)"
	@if ! command -v valgrind >/dev/null 2>&1; then \
	  echo "memcheck: SKIPPED: valgrind not found (apt-get install -y valgrind)"; \
	else \
	  cmake -S . -B $(BUILD) >/dev/null && \
	  cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L memcheck; \
	fi

# fuzz-quick: FUZZ_TEST_SECONDS per harness (part of make test);
# fuzz: FUZZ_SECONDS per harness.  The corpus grows in $(FUZZ_BUILD)/fuzz-work.
fuzz-quick fuzz: deps
	@if ! $(HAVE_LIBFUZZER); then \
	  echo "fuzz: SKIPPED: clang with libFuzzer not found (apt-get install -y clang libclang-rt-dev)"; \
	else \
	  secs=$(FUZZ_SECONDS); [ "$@" = fuzz-quick ] && secs=$(FUZZ_TEST_SECONDS); \
	  echo "== libFuzzer harnesses, $${secs}s each ($(FUZZ_BUILD))"; \
	  { [ -f $(FUZZ_BUILD)/CMakeCache.txt ] || \
	    CC=clang cmake -S . -B $(FUZZ_BUILD) -DLTK_FUZZ=ON -DLTK_TESTS=OFF $(CMAKE_FLAGS) >/dev/null; } && \
	  cmake --build $(FUZZ_BUILD) -j $(JOBS) >/dev/null && \
	  JOBS=$(JOBS) sh fuzz/run.sh $(FUZZ_BUILD) $$secs; \
	fi

demo: build
	@sh tools/demo.sh $(BUILD)

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# ltk_VERSION-1_ARCH.deb (tools, man pages, templates, completions) and
# libltk-dev_VERSION-1_ARCH.deb (libltk.a, headers, ltk.pc), by CPack
# (cmake/Package.cmake), under /usr whatever PREFIX is.
# Only BUILD_DEBS are installed for it (a CI job that packages needs no chromium).
deb:
	@$(MAKE) --no-print-directory build DEBS="$(BUILD_DEBS)"
	cd $(BUILD) && cpack -G DEB
	@ls -1 $(BUILD)/packages/*.deb

# The speed benchmark (bench/README.md): installs its peers (DuckDB, pandas,
# Miller) into bench/.peers and Debian, generates a 10M-row log, compares.
# Not part of test.  ROWS=1000000 for a quicker run.
ROWS ?= 10000000
bench: build
	sh bench/setup.sh
	sh bench/run.sh $(ROWS)

# Rewrites the golden files of the CLI tests from the current tools.
golden: build
	cd $(BUILD) && LTK_UPDATE_GOLDEN=1 ctest -R '^cli_' -j $(JOBS) --output-on-failure

clean:
	rm -rf $(BUILD) $(SAN_BUILD) $(FUZZ_BUILD)

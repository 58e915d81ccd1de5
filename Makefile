# ltk's front door: installs missing Debian packages (as root), then drives CMake.
#   make          build everything into build/ (executables in build/bin/)
#   make test     build and run every test through ctest
#   make demo     build, write the HTML report of a bundled sample and print its path
#   make install  install tools, man pages and templates under PREFIX
BUILD    ?= build
PREFIX   ?= /usr/local
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

# Debian packages needed to build and test (python3 checks JSON against the CSVs;
# chromium opens the HTML report headless).
DEBS := gcc make cmake pkg-config libcsv-dev libcjson-dev libgsl-dev zlib1g-dev check gnuplot-nox python3 chromium

.PHONY: all build deps test demo install clean golden bench

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
	    echo "ltk: missing Debian packages; run as root:"; \
	    echo "  apt-get update && apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

$(BUILD)/CMakeCache.txt: CMakeLists.txt | deps
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

demo: build
	@sh tools/demo.sh $(BUILD)

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

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
	rm -rf $(BUILD)

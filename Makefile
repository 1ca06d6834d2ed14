# Thin wrapper over CMakePresets.json: every target installs what is missing, then
# drives CMake through a preset (release: build/, tsan: build-tsan/, asan: build-asan/,
# fuzz: build-fuzz/).
APT_PACKAGES := cmake g++ make libcli11-dev nlohmann-json3-dev libsqlite3-dev libspdlog-dev doctest-dev \
                python3 python3-jsonschema clang libclang-rt-14-dev libyaml-cpp-dev \
                libbenchmark-dev
JOBS ?= $(shell nproc)

# Only `make test` needs these: the Prometheus parser that checks --metrics output, and
# the render tests (tests/render), which run Mermaid and the HTML report in headless
# chromium. npm installs the pinned mermaid package; Debian's npm is added only when no
# npm is on PATH, because a Node.js package that ships its own npm conflicts with it.
TEST_APT_PACKAGES := python3-prometheus-client chromium
.PHONY: deps test-deps configure build run test test-tsan test-asan fuzz install clean

deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

test-deps:
	@$(MAKE) --no-print-directory deps \
	  APT_PACKAGES="$(TEST_APT_PACKAGES) $$(command -v npm >/dev/null 2>&1 || echo npm)"

configure: deps
	cmake --preset release >/dev/null

# Everything: the sagasim binary and the test binary.
build: configure
	cmake --build --preset release -j $(JOBS)

# Builds only the binary it runs.
run: configure
	cmake --build --preset release -j $(JOBS) --target sagasim
	./build/sagasim run scenarios/

test: build test-deps
	ctest --preset release -j $(JOBS)

test-tsan: deps
	cmake --preset tsan >/dev/null
	cmake --build --preset tsan -j $(JOBS)
	ctest --preset tsan -j $(JOBS)

test-asan: deps
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)
	ctest --preset asan -j $(JOBS)

# libFuzzer targets built with clang, each run for FUZZ_SECONDS over its corpus.
FUZZ_SECONDS ?= 60
fuzz: deps
	cmake --preset fuzz -DSAGASIM_FUZZ_SECONDS=$(FUZZ_SECONDS) >/dev/null
	cmake --build --preset fuzz -j $(JOBS)
	ctest --preset fuzz

# Installs the binary and the docs under PREFIX (default /usr/local).
PREFIX ?= /usr/local
install: configure
	cmake --build --preset release -j $(JOBS) --target sagasim
	cmake --install build --prefix $(PREFIX)

clean:
	rm -rf build build-tsan build-asan build-fuzz

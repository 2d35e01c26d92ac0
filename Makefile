# recall — the two commands a fresh Debian 12 clone needs: `make run`, `make test`.
# Both install any missing Debian packages first (apt-get; sudo when not root).

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
PACKAGES   := cmake g++ make libsqlitecpp-dev libsqlite3-dev libboost-program-options-dev \
              libhowardhinnant-date-dev catch2 sqlite3 tzdata tmux nlohmann-json3-dev libutf8proc-dev \
              nodejs $(if $(shell command -v npm),,npm)
# The Anki round trip (docs/anki.md): zip, zstd, SHA-1/SHA-256; the zstd tool builds test packages.
PACKAGES   += libzip-dev libzstd-dev libssl-dev zstd pkg-config
# (npm only when missing: NodeSource's nodejs ships its own and conflicts with Debian's.)

.PHONY: all deps browser-deps build run test test-asan bench fuzz clean

all: build

deps:
	@./scripts/install-deps.sh $(PACKAGES)

# Chromium for the HTML report's render test (make test skips that check
# without it; .ci/run installs it and makes a missing browser an error).
browser-deps:
	@./scripts/install-deps.sh chromium

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# The daily drill on the default database, importing decks/ on first use.
run: build
	@./scripts/run.sh $(BUILD)/recall

test: build
	@[ -d tests/mcp/node_modules ] || (cd tests/mcp && npm ci --no-audit --no-fund)
	@[ -d tests/anki/node_modules ] || (cd tests/anki && npm ci --no-audit --no-fund)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DRECALL_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

bench: build
	@./bench/run.sh $(BUILD)

# libFuzzer targets (clang, ASan + UBSan) in build-fuzz/, FUZZ_SECONDS each (default 60).
fuzz:
	@FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60) ./scripts/fuzz.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

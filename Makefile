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

# Installing (issue 27): the man page and the completion scripts need man-db
# (the test renders the page) and zsh (the test loads the zsh script).
PACKAGES += man-db groff-base zsh

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

# The sanitizer suite is built -O1 -g1 and not position independent: at -O0
# with full debug info, every recall process the tests start (hundreds of them)
# spent ~0.3 s relocating a 173 MB PIE before main. Measured on 2 cores: 27.6
# min (10.5 build + 16.4 tests) before, 19.3 min (11.9 + 7.4) after.
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DRECALL_SANITIZE=ON \
	  "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1" -DCMAKE_CXX_FLAGS=-fno-pie -DCMAKE_EXE_LINKER_FLAGS=-no-pie
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

bench: build
	@./bench/run.sh $(BUILD)

# libFuzzer targets (clang, ASan + UBSan) in build-fuzz/, FUZZ_SECONDS each (default 60).
fuzz:
	@FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60) ./scripts/fuzz.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(DEB_BUILD)

# make install / make uninstall (issue 27): the binary, man page, bash and zsh
# completion, the shipped deck and docs. PREFIX: ~/.local for a user,
# /usr/local as root; DESTDIR is honoured. The uninstall removes what the
# last install from $(BUILD) wrote ($(BUILD)/install_record.txt).
PREFIX ?= $(if $(filter 0,$(shell id -u)),/usr/local,$(HOME)/.local)
DEB_BUILD ?= build-deb
.PHONY: install uninstall deb
install: build
	@cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX="$(PREFIX)" > /dev/null
	cmake --build $(BUILD) -j $(JOBS)
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD)
	@case ":$$PATH:" in *":$(PREFIX)/bin:"*) ;; *) \
	  echo "note: $(PREFIX)/bin is not on your PATH; add it (and, for zsh completion," \
	       "$(PREFIX)/share/zsh/site-functions to your fpath)";; esac

uninstall:
	cmake -DRECORD=$(BUILD)/install_record.txt -P scripts/uninstall.cmake

# make deb: recall_<version>_<arch>.deb in $(DEB_BUILD)/, built with Debian's
# hardening flags and linked to Debian's shared libraries (its Depends come
# from dpkg-shlibdeps), installing under /usr what make install installs.
deb: deps
	@./scripts/install-deps.sh dpkg-dev file
	DEB_BUILD_MAINT_OPTIONS=hardening=+all; export DEB_BUILD_MAINT_OPTIONS; \
	CXXFLAGS="$$(dpkg-buildflags --get CXXFLAGS) $$(dpkg-buildflags --get CPPFLAGS)" \
	LDFLAGS="$$(dpkg-buildflags --get LDFLAGS)" \
	cmake -S . -B $(DEB_BUILD) -DCMAKE_BUILD_TYPE=None -DCMAKE_INSTALL_PREFIX=/usr \
	  -DRECALL_DEBIAN=ON -DRECALL_STATIC_DEPS=OFF -DRECALL_TESTS=OFF
	cmake --build $(DEB_BUILD) -j $(JOBS)
	rm -f $(DEB_BUILD)/recall_*.deb
	cd $(DEB_BUILD) && cpack -G DEB
	@ls $(DEB_BUILD)/recall_*.deb

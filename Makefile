# chipcheck — plain GNU make. `make demo` and `make test` are all a newcomer types: both install the
# Debian packages first when one is missing (see `deps`).

BUILD   ?= build
PREFIX  ?= /usr/local
LIBDIR  ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR  ?= $(PREFIX)/bin
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=
# The Python tests run with Debian's interpreter, which has python3-pytest.
PYTHON  ?= /usr/bin/python3

VER_MAJOR := $(shell sed -n 's/^\#define CHIPCHECK_VERSION_MAJOR \([0-9]*\).*/\1/p' include/chipcheck.h)
VER_MINOR := $(shell sed -n 's/^\#define CHIPCHECK_VERSION_MINOR \([0-9]*\).*/\1/p' include/chipcheck.h)
VER_PATCH := $(shell sed -n 's/^\#define CHIPCHECK_VERSION_PATCH \([0-9]*\).*/\1/p' include/chipcheck.h)
VERSION   := $(VER_MAJOR).$(VER_MINOR).$(VER_PATCH)

# (man-db: the tests render the manual page, chipcheck.1, with man and groff. python3-pandas, python3-dask,
# python3-distributed: chipcheck.screen_frame and chipcheck.dask, tested on a local two-process cluster.)
DEB_PACKAGES := gcc make pkg-config libxml2-dev libpcre2-dev libcjson-dev libcunit1-dev \
                python3 python3-pytest python3-setuptools python3-venv python3-pip man-db \
                python3-pandas python3-dask python3-distributed \
                libxml2-utils librsvg2-bin
PKGS := libxml-2.0 libpcre2-8 libcjson
PG_DEB_PACKAGES := postgresql-15 postgresql-server-dev-15
PG_CONFIG ?= /usr/lib/postgresql/15/bin/pg_config

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wundef \
           -Wpointer-arith -Wvla -Wformat=2 -Wwrite-strings -Wredundant-decls -Wcast-qual -Werror
DEP_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
DEP_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -lpthread
ALL_CFLAGS = $(WARN) $(CFLAGS) -D_POSIX_C_SOURCE=200809L -Iinclude -Ilib $(DEP_CFLAGS)

LIB_SRC   := $(wildcard lib/*.c)
LIB_OBJ   := $(patsubst lib/%.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(BUILD)/obj/bundled.o
RULE_FILES := $(shell find rules -type f \( -name '*.xml' -o -name '*.json' -o -name '*.xsd' \) | LC_ALL=C sort)
CLI_SRC   := $(wildcard bindings/cli/*.c)
UNIT_SRC  := $(wildcard tests/unit/*.c)

SONAME    := libchipcheck.so.$(VER_MAJOR)
SHLIB     := $(BUILD)/libchipcheck.so.$(VERSION)
STLIB     := $(BUILD)/libchipcheck.a
CLI       := $(BUILD)/chipcheck

.PHONY: all lib deps test check test-run demo demo-run install uninstall clean headertest examples \
        unit-test cli-test python-test example-test export-test thread-test fuzz-replay newcomer-test \
        sanitize tsan valgrind fuzz pg-deps pg-test pg-extension

all: $(STLIB) $(BUILD)/libchipcheck.so $(CLI) $(BUILD)/chipcheck.pc

lib: $(STLIB) $(BUILD)/libchipcheck.so

# Install the Debian packages the build and tests need, only when one is missing.
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# The PostgreSQL extension's build and tests need Debian's server and its PGXS files (only those targets).
pg-deps: deps
	@$(MAKE) --no-print-directory deps DEB_PACKAGES="$(PG_DEB_PACKAGES)"

$(BUILD)/obj/%.o: lib/%.c lib/internal.h include/chipcheck.h | $(BUILD)/obj
	$(CC) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -c $< -o $@

$(BUILD)/obj $(BUILD)/gen $(BUILD)/tests:
	mkdir -p $@

# The bundled rule files are compiled into the library by a small generator (lib/tools/embed.c).
$(BUILD)/embed: lib/tools/embed.c | $(BUILD)/obj
	$(CC) $(WARN) $(CFLAGS) $< -o $@

$(BUILD)/gen/bundled.c: $(BUILD)/embed $(RULE_FILES) | $(BUILD)/gen
	$(BUILD)/embed rules $(RULE_FILES) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/bundled.o: $(BUILD)/gen/bundled.c lib/internal.h | $(BUILD)/obj
	$(CC) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -c $< -o $@

$(STLIB): $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(SHLIB): $(LIB_OBJ) lib/chipcheck.map
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=lib/chipcheck.map $(LDFLAGS) \
	  -o $@ $(LIB_OBJ) $(DEP_LIBS)

$(BUILD)/libchipcheck.so: $(SHLIB)
	ln -sf libchipcheck.so.$(VERSION) $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $@

$(CLI): $(CLI_SRC) $(wildcard bindings/cli/*.h) $(STLIB) include/chipcheck.h
	$(CC) $(ALL_CFLAGS) $(CLI_SRC) $(STLIB) $(DEP_LIBS) -o $@

# The .pc says where the files are installed, so it follows PREFIX, LIBDIR and INCLUDEDIR of every make
# (FORCE: rewritten when any of them differs from the last build's, never left with an older prefix).
$(BUILD)/chipcheck.pc: lib/chipcheck.pc.in include/chipcheck.h FORCE | $(BUILD)/obj
	@sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' $< > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@ && echo "wrote $@ (prefix $(PREFIX))"; fi

.PHONY: FORCE
FORCE:

# ---- tests ------------------------------------------------------------------------------------------

$(BUILD)/tests/unit: $(UNIT_SRC) tests/unit/unit.h tests/fuzz/pull_diff.h $(STLIB) | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) -Itests/unit $(UNIT_SRC) $(STLIB) $(DEP_LIBS) -lcunit -o $@

$(BUILD)/tests/example_erp: examples/erp_screen.c $(BUILD)/libchipcheck.so | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $< -L$(BUILD) -Wl,-rpath,'$$ORIGIN/..' -lchipcheck -o $@

# `test` first makes sure the packages are there, then runs everything in a fresh make (so pkg-config
# sees what was just installed).
test check: deps pg-deps
	@$(MAKE) --no-print-directory test-run

test-run: all headertest unit-test bench-check thread-test fuzz-replay cli-test example-test export-test python-test \
          newcomer-test pg-test
	@echo "make test: all suites passed"

unit-test: $(BUILD)/tests/unit
	cd tests && ../$(BUILD)/tests/unit

$(BUILD)/tests/threads: tests/threads/test_threads.c $(STLIB) | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $< $(STLIB) $(DEP_LIBS) -o $@

thread-test: $(BUILD)/tests/threads
	$(BUILD)/tests/threads

# The fuzz targets, linked to a standalone driver, replay their corpora (seeds and crash regressions).
FUZZ_TARGETS := rules shipment expr csv pull

# The CSV reader is part of the command, not the library: its target links bindings/cli/csv.c.
$(BUILD)/tests/replay_csv: tests/fuzz/fuzz_csv.c tests/fuzz/replay.c bindings/cli/csv.c bindings/cli/suggest.c \
                          bindings/cli/cli.h $(STLIB) | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) -Ibindings/cli $< tests/fuzz/replay.c bindings/cli/csv.c bindings/cli/suggest.c $(STLIB) $(DEP_LIBS) -o $@

$(BUILD)/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz_util.h tests/fuzz/pull_diff.h $(STLIB) | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $< tests/fuzz/replay.c $(STLIB) $(DEP_LIBS) -o $@

fuzz-replay: $(foreach t,$(FUZZ_TARGETS),$(BUILD)/tests/replay_$(t))
	@for t in $(FUZZ_TARGETS); do $(BUILD)/tests/replay_$$t tests/fuzz/corpus/$$t || exit 1; done

cli-test: $(CLI)
	sh tests/cli/run.sh $(CLI)

example-test: $(BUILD)/tests/example_erp
	$(BUILD)/tests/example_erp > $(BUILD)/tests/example_erp.out
	diff -u tests/golden/example_erp.out $(BUILD)/tests/example_erp.out

# Issue 10 replayed as a newcomer would: see tests/newcomer.sh (NEWCOMER_ITEMS: which of its items; all
# by default).
NEWCOMER_ITEMS ?=
newcomer-test: all
	sh tests/newcomer.sh $(BUILD) $(NEWCOMER_ITEMS)

# Every CHIPCHECK_API function in the header is exported, and nothing else is.
export-test: $(BUILD)/libchipcheck.so
	sh tests/check_exports.sh include/chipcheck.h $(SHLIB)

# The PostgreSQL extension (bindings/postgresql, PGXS), linked with this build's static library; pg-test
# installs it into the PostgreSQL installation (as root on CI) and tests it on a server it starts itself.
pg-extension: $(STLIB)
	$(MAKE) -C bindings/postgresql PG_CONFIG=$(PG_CONFIG) CHIPCHECK_LIB=$(CURDIR)/$(STLIB)

pg-test: pg-extension $(CLI)
	CHIPCHECK_LIB=$(CURDIR)/$(STLIB) PG_CONFIG=$(PG_CONFIG) sh tests/postgresql/run.sh $(CLI)

# The picture tests (tests/python/test_pictures.py) drive the command, xmllint and rsvg-convert.
python-test: $(BUILD)/libchipcheck.so $(CLI)
	CHIPCHECK_LIBRARY=$(CURDIR)/$(SHLIB) PYTHONPATH=$(CURDIR)/bindings/python CHIPCHECK_CLI=$(CURDIR)/$(CLI) \
	  $(PYTHON) -m pytest -q -p no:cacheprovider tests/python

headertest: | $(BUILD)/tests
	printf '#include "chipcheck.h"\nint main(void){return chipcheck_version_number()<0;}\n' > $(BUILD)/tests/ht.c
	$(CC) -std=c99 -Wall -Wextra -pedantic -Werror -Iinclude -fsyntax-only $(BUILD)/tests/ht.c
	cp $(BUILD)/tests/ht.c $(BUILD)/tests/ht.cpp
	@if command -v c++ >/dev/null 2>&1; then \
	  c++ -Wall -Wextra -pedantic -Werror -Iinclude -fsyntax-only $(BUILD)/tests/ht.cpp; fi

# ---- hardening ----------------------------------------------------------------------------------
SAN_CC ?= $(shell command -v clang >/dev/null 2>&1 && echo clang || echo gcc)
SAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all

# The C tests, the thread test, the corpora, the CLI tests, the example and the newcomer's command-line
# items under ASan + UBSan. (The Python tests and the newcomer's venv, install and demo items load the
# library into an uninstrumented interpreter or rebuild, so they run in `make test`.)
sanitize: deps
	@$(MAKE) --no-print-directory BUILD=build/sanitize CC=$(SAN_CC) CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" \
	  ASAN_OPTIONS=detect_leaks=1 NEWCOMER_ITEMS="3 4 5 6 8" unit-test bench-check thread-test fuzz-replay cli-test example-test \
	  newcomer-test

tsan: deps
	@$(MAKE) --no-print-directory BUILD=build/tsan CC=$(SAN_CC) CFLAGS="-O1 -g -fsanitize=thread" \
	  LDFLAGS="-fsanitize=thread" thread-test

# The C tests, the thread test and CLI runs under memcheck: zero errors, zero leaks. Built without PCRE2's
# JIT, whose generated code reads past short subjects by design (memcheck cannot tell that from a bug).
VALGRIND := valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all
VG_BUILD := build/valgrind
valgrind: deps
	@$(MAKE) --no-print-directory BUILD=$(VG_BUILD) CFLAGS="-O1 -g -DCHIPCHECK_NO_JIT" \
	  $(VG_BUILD)/tests/unit $(VG_BUILD)/tests/threads $(VG_BUILD)/chipcheck
	cd tests && $(VALGRIND) ../$(VG_BUILD)/tests/unit
	$(VALGRIND) $(VG_BUILD)/tests/threads
	$(VALGRIND) $(VG_BUILD)/chipcheck batch < tests/cli/cases/batch-mixed/stdin > /dev/null; \
	  rc=$$?; test $$rc -eq 0 -o $$rc -eq 2
	$(VALGRIND) $(VG_BUILD)/chipcheck check --chip H20 --to CN --hq CN --date 2025-05-02 > /dev/null; test $$? -eq 1
	$(VALGRIND) $(VG_BUILD)/chipcheck rules diff us-ear-advanced-computing@2024-12-02 \
	  us-ear-advanced-computing@2025-04-09 > /dev/null; test $$? -eq 1
	$(VALGRIND) $(VG_BUILD)/chipcheck chips list > /dev/null
	$(VALGRIND) $(VG_BUILD)/chipcheck batch --input-format csv < tests/cli/cases/batch-csv/stdin > /dev/null; \
	  rc=$$?; test $$rc -eq 0 -o $$rc -eq 2
	$(VALGRIND) $(VG_BUILD)/chipcheck batch < tests/cli/cases/batch-invalid-utf8-id/stdin > /dev/null; test $$? -eq 2
	$(VALGRIND) $(VG_BUILD)/chipcheck rules list --rules tests/rules/invalid/catalog-nul-name 2> /dev/null; test $$? -eq 2
	@echo "valgrind: 9 passed, 0 failed"

# libFuzzer (clang): `make fuzz FUZZ_SECONDS=60` runs each target that long on its corpus.
FUZZ_SECONDS ?= 30
FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
fuzz: deps
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang \
	  CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" lib
	@for t in $(FUZZ_TARGETS); do \
	  clang $(FUZZ_FLAGS) -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -Ilib -Ibindings/cli $(DEP_CFLAGS) \
	    tests/fuzz/fuzz_$$t.c $$(if [ $$t = csv ]; then echo bindings/cli/csv.c bindings/cli/suggest.c; fi) \
	    build/fuzz/libchipcheck.a $(DEP_LIBS) -o build/fuzz/fuzz_$$t || exit 1; \
	  mkdir -p build/fuzz/corpus_$$t; \
	  build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
	    -artifact_prefix=build/fuzz/crash-$$t- build/fuzz/corpus_$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# ---- benchmark (figures, never a test) -------------------------------------------------------------
.PHONY: bench
$(BUILD)/bench: tests/bench/bench.c $(STLIB) | $(BUILD)/obj
	$(CC) $(ALL_CFLAGS) $< $(STLIB) $(DEP_LIBS) -o $@

# Every shipment of the benchmark's workload through every verdict path (part of make test; no timing).
.PHONY: bench-check
bench-check: $(BUILD)/bench
	$(BUILD)/bench --check

bench: deps pg-deps
	@$(MAKE) --no-print-directory $(BUILD)/bench $(CLI) $(BUILD)/libchipcheck.so pg-extension
	PYTHON=$(PYTHON) CHIPCHECK_LIBRARY=$(CURDIR)/$(SHLIB) PYTHONPATH=$(CURDIR)/bindings/python \
	  $(BUILD)/bench $(CLI) tests/bench/bench_python.py
	CHIPCHECK_LIB=$(CURDIR)/$(STLIB) PG_CONFIG=$(PG_CONFIG) sh tests/postgresql/bench.sh $(CLI)

# The Dask figure: 200,000 generated order lines through `chipcheck batch --brief`, screen_frame and
# chipcheck.dask.screen on a local cluster of 2 worker processes (tests/bench/dask_bench.py).
.PHONY: bench-dask
bench: bench-dask
bench-dask: deps
	@$(MAKE) --no-print-directory $(CLI) $(BUILD)/libchipcheck.so
	CHIPCHECK_LIBRARY=$(CURDIR)/$(SHLIB) PYTHONPATH=$(CURDIR)/bindings/python $(PYTHON) tests/bench/dask_bench.py $(CLI)

# ---- demo -------------------------------------------------------------------------------------------

demo: deps
	@$(MAKE) --no-print-directory demo-run

demo-run: $(CLI)
	sh examples/demo.sh $(CLI)

# ---- install ----------------------------------------------------------------------------------------
# The chipcheck command is linked with libchipcheck.a (see $(CLI) above): it needs no run path and no
# LD_LIBRARY_PATH under any PREFIX, and it always runs the library it was built and tested with. Programs
# linked with -lchipcheck against a PREFIX outside the loader's path need a run path of their own:
# cc ... $$(pkg-config --libs chipcheck) -Wl,-rpath,$$(pkg-config --variable=libdir chipcheck) (or ldconfig).

install: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(PKGCONFIGDIR) \
	           $(DESTDIR)$(MANDIR)/man1
	install -m 644 include/chipcheck.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 $(STLIB) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(SHLIB) $(DESTDIR)$(LIBDIR)/
	ln -sf libchipcheck.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libchipcheck.so
	install -m 755 $(CLI) $(DESTDIR)$(BINDIR)/
	install -m 644 $(BUILD)/chipcheck.pc $(DESTDIR)$(PKGCONFIGDIR)/
	install -m 644 bindings/cli/chipcheck.1 $(DESTDIR)$(MANDIR)/man1/

uninstall:
	rm -f $(DESTDIR)$(INCLUDEDIR)/chipcheck.h $(DESTDIR)$(LIBDIR)/libchipcheck.a \
	      $(DESTDIR)$(LIBDIR)/libchipcheck.so* $(DESTDIR)$(BINDIR)/chipcheck \
	      $(DESTDIR)$(PKGCONFIGDIR)/chipcheck.pc $(DESTDIR)$(MANDIR)/man1/chipcheck.1

clean:
	rm -rf $(BUILD)
	rm -f bindings/postgresql/*.o bindings/postgresql/*.so bindings/postgresql/*.bc

# Oficina — one Makefile for the server, the CLI, the tests and the benchmark.
#
#   make run          install deps, build, private PostgreSQL under .data/, migrate, serve on $PORT
#   make test         install deps, make check, build, every test (plain and sanitized) on a
#                     throw-away cluster, and every fuzz target for a few seconds
#   make test T=NAME  only the test binary NAME (e.g. test_replica) of the plain build, on a
#                     throw-away cluster; no make check, no sanitized build
#   make unit         only the unit tests of the plain build; no PostgreSQL, a few seconds
#   make asan         the test binaries built with AddressSanitizer + UBSan (run by make test)
#   make check        check-layers, docs/openapi.yaml documents every route and lints clean
#                     (redocly, spectral), one VERSION, every k8s overlay rendered and valid
#                     with its alert rules tested (promtool), the API Gateway template linted,
#                     clang-format clean
#   make check-layers fail when an #include crosses a layer boundary the wrong way
#   make bench        wrk against the server beside pgbench on the same SQL, one run; then the
#                     event path: relay throughput, lag at 200 orders/s, a 30 s broker outage;
#                     then the authorizer's Lambda package: cold start, warm invocations
#   make authorizer-package  build/oficina-authorizer.zip for Lambda (provided.al2023)
#   make gateway      build/aws/oficina-gateway.json: API Gateway, VPC link, authorizer (CloudFormation)
#   make soak         ten minutes of mixed traffic; fails on 5xx, RSS growth > 10 %, descriptor growth
#   make fuzz         the libFuzzer targets of fuzz/ (clang, ASan + UBSan), FUZZ_SECONDS each
#                     (default 60; FUZZ_RUNS also caps the inputs), all of them or those named in
#                     FUZZ_TARGETS; new inputs go to build-fuzz/corpus/, never into the repository
#                     (fuzz/README.md)
#   make format       clang-format everything
#
# Objects live under $(BUILD)/, mirroring the tree, with -MMD header dependencies.

CC      ?= cc
comma   := ,
BUILD   ?= build
SAN     ?=
PKGS     = libmicrohttpd libpq jansson libjwt libsodium librabbitmq libcurl
TESTPKGS = cmocka libcurl

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS := $(shell pkg-config --cflags $(TESTPKGS) 2>/dev/null)
TEST_LIBS   := $(shell pkg-config --libs $(TESTPKGS) 2>/dev/null)
CURL_LIBS   := $(shell pkg-config --libs libcurl 2>/dev/null)

WARN = -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
       -Wpointer-arith -Wcast-qual -Wsign-compare -Wformat=2 -Wvla
OPT ?= -O2 -g
# The one version: the binary (oficina --version, oficina_build_info), the spec's info.version and
# the image tag of k8s/base (both checked by make check).
VERSION := $(shell cat VERSION)
CFLAGS += -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(SAN) -MMD -MP -I. $(PKG_CFLAGS) \
          -DOFICINA_VERSION='"$(VERSION)"'
LDFLAGS += $(SAN) -pthread

LIB_SRC  := $(sort $(wildcard domain/*.c application/*.c application/*/*.c \
              infrastructure/*/*.c presentation/*/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/presentation/http/docs_assets.o
LIB      := $(BUILD)/liboficina.a
# What prints the version is rebuilt when VERSION changes.
$(BUILD)/cmd/oficina/main.o $(BUILD)/infrastructure/telemetry/process_stats.o: VERSION

APP_SRC  := $(wildcard cmd/oficina/*.c)
APP_OBJ  := $(APP_SRC:%.c=$(BUILD)/%.o)
AUTHZ_SRC := $(wildcard cmd/oficina-authorizer/*.c)
AUTHZ_OBJ := $(AUTHZ_SRC:%.c=$(BUILD)/%.o)

FAKE_SRC    := $(wildcard tests/fakes/*.c)
FAKE_OBJ    := $(FAKE_SRC:%.c=$(BUILD)/%.o)
SUPPORT_SRC := $(wildcard tests/support/*.c)
SUPPORT_OBJ := $(SUPPORT_SRC:%.c=$(BUILD)/%.o)

UNIT_SRC := $(wildcard tests/unit/*/test_*.c)
INTG_SRC := $(wildcard tests/integration/test_*.c)
E2E_SRC  := $(wildcard tests/e2e/test_*.c)
UNIT_BIN := $(UNIT_SRC:%.c=$(BUILD)/%)
INTG_BIN := $(INTG_SRC:%.c=$(BUILD)/%)
E2E_BIN  := $(E2E_SRC:%.c=$(BUILD)/%)
TEST_BIN := $(UNIT_BIN) $(INTG_BIN) $(E2E_BIN)

# The fuzz targets (fuzz/README.md): one binary per fuzz/fuzz_*.c, linked with fuzz/fuzz.c, built
# by clang into $(FUZZ_BUILD) only (make fuzz-build sets BUILD to it).
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_RUNS    ?=
FUZZ_TARGETS ?=
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:%.c=$(BUILD)/%)
FUZZ_OBJ := $(FUZZ_SRC:%.c=$(BUILD)/%.o) $(BUILD)/fuzz/fuzz.o

.PHONY: all run test test-one-build tests unit unit-build asan asan-build bench format authorizer-package gateway soak \
	check check-layers clean deps fuzz fuzz-build fuzz-bins
# Keep test objects between runs (they are intermediate files of the link rules).
.SECONDARY:
.DEFAULT_GOAL := all

all: $(BUILD)/oficina $(BUILD)/oficina-authorizer

tests: all $(TEST_BIN)

# The API Gateway side (CloudFormation, from docs/openapi.yaml): k8s/README.md "EKS".
gateway: $(BUILD)/aws/oficina-gateway.json
$(BUILD)/aws/oficina-gateway.json: docs/openapi.yaml scripts/apigateway.mjs $(NPM_STAMP)
	@mkdir -p $(@D)
	node scripts/apigateway.mjs >$@.tmp && mv $@.tmp $@

# The authorizer as an AWS Lambda package (provided.al2023): bootstrap + lib/, from the plain
# build (the sanitized one needs a newer glibc). make test runs the authorizer's tests again on
# the packaged bootstrap, against the Runtime API emulation.
authorizer-package: $(BUILD)/oficina-authorizer.zip
$(BUILD)/oficina-authorizer.zip: $(BUILD)/oficina-authorizer scripts/authorizer-package.sh
	@scripts/authorizer-package.sh $< $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(BUILD)/oficina: $(APP_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(APP_OBJ) $(LIB) $(PKG_LIBS)

$(BUILD)/oficina-authorizer: $(AUTHZ_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -Wl,--as-needed -o $@ $(AUTHZ_OBJ) $(LIB) $(PKG_LIBS) $(CURL_LIBS)

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(TEST_CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

# The npm tools (package-lock.json): Swagger UI and js-yaml for the build, the linters, newman
# and prism for the tests. npm ci rewrites node_modules/.package-lock.json: the stamp.
NPM_STAMP := node_modules/.package-lock.json
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# /openapi.yaml, /openapi.json and /docs are embedded into the binary (docs_assets.S).
SWAGGER_UI := node_modules/swagger-ui-dist
$(BUILD)/docs/openapi.json: docs/openapi.yaml scripts/openapi-json.mjs $(NPM_STAMP)
	@mkdir -p $(@D)
	node scripts/openapi-json.mjs $< >$@.tmp && mv $@.tmp $@

$(BUILD)/presentation/http/docs_assets.o: presentation/http/docs_assets.S docs/openapi.yaml \
		$(BUILD)/docs/openapi.json $(NPM_STAMP)
	@mkdir -p $(@D)
	$(CC) -c -o $@ $< -DOPENAPI_YAML='"docs/openapi.yaml"' \
		-DOPENAPI_JSON='"$(BUILD)/docs/openapi.json"' \
		-DSWAGGER_UI_JS='"$(SWAGGER_UI)/swagger-ui-bundle.js"' \
		-DSWAGGER_UI_CSS='"$(SWAGGER_UI)/swagger-ui.css"' \
		-DFAVICON_PNG='"$(SWAGGER_UI)/favicon-32x32.png"'

# Unit tests link the code under test (from the archive, so only what they use) and the fakes.
$(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(FAKE_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(FAKE_OBJ) $(LIB) $(PKG_LIBS) $(TEST_LIBS)

$(BUILD)/tests/integration/%: $(BUILD)/tests/integration/%.o $(SUPPORT_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(SUPPORT_OBJ) $(LIB) $(PKG_LIBS) $(TEST_LIBS)

# `migrate create` lives in the command line (cmd/), which no other test binary links.
$(BUILD)/tests/integration/test_migrations: $(BUILD)/tests/integration/test_migrations.o \
		$(BUILD)/cmd/oficina/cli_migrate_create.o $(SUPPORT_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(BUILD)/cmd/oficina/cli_migrate_create.o $(SUPPORT_OBJ) $(LIB) \
		$(PKG_LIBS) $(TEST_LIBS)

$(BUILD)/tests/e2e/%: $(BUILD)/tests/e2e/%.o $(SUPPORT_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(SUPPORT_OBJ) $(LIB) $(PKG_LIBS) $(TEST_LIBS)

# A fuzz target: libFuzzer's main (-fsanitize=fuzzer) and the code under test from the archive.
$(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzz/fuzz_%.o $(BUILD)/fuzz/fuzz.o $(LIB)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/fuzz/fuzz.o $(LIB) $(PKG_LIBS)

deps:
	@scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run.sh

ifeq ($(T),)
# make test: install, check, build plain and sanitized, run everything on a throw-away cluster.
test: deps
	@$(MAKE) --no-print-directory check
	@$(MAKE) --no-print-directory tests authorizer-package
	@$(MAKE) --no-print-directory asan-build
	@$(MAKE) --no-print-directory fuzz-build
	@scripts/test.sh --fuzz $(FUZZ_BUILD) $(BUILD) build-asan
else
# make test T=test_replica: that binary alone (with the server it may start), plain build.
T_BIN := $(filter %/$(T),$(TEST_BIN))
test: deps
	@[ -n "$(T_BIN)" ] || { echo "make test T=$(T): no tests/*/$(T).c (T is a binary's name, e.g. test_replica)" >&2; exit 2; }
	@$(MAKE) --no-print-directory test-one-build
	@scripts/test.sh --only $(T) $(BUILD)

test-one-build: all $(T_BIN) $(BUILD)/oficina-authorizer.zip
	@:
endif

# make unit: the unit tests alone (tests/unit, plain build); they need no PostgreSQL.
unit: deps
	@$(MAKE) --no-print-directory unit-build
	@scripts/test.sh --unit $(BUILD)

unit-build: $(UNIT_BIN)
	@:

asan-build:
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" tests

# make asan: only the sanitized build and its tests.
asan: deps asan-build
	@scripts/test.sh build-asan

# The fuzz build: clang 14 with libFuzzer. The library is compiled with the coverage hooks
# (fuzzer-no-link) and the same sanitizers as make asan, with the project's warnings and -Werror;
# only the targets' link adds libFuzzer's main.
fuzz-build:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang OPT="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" fuzz-bins

fuzz-bins: $(FUZZ_BIN)
	@:

# make fuzz: each target for FUZZ_SECONDS (scripts/fuzz.sh); FUZZ_TARGETS=fuzz_placa,... to choose.
fuzz: deps
	@$(MAKE) --no-print-directory fuzz-build
	@scripts/fuzz.sh -t $(FUZZ_SECONDS) $(if $(FUZZ_RUNS),-r $(FUZZ_RUNS)) $(FUZZ_BUILD) \
		$(subst $(comma), ,$(FUZZ_TARGETS))

# make soak: ten minutes of mixed traffic, RSS, descriptors and connections sampled (not a test).
soak: deps
	@$(MAKE) --no-print-directory all
	@scripts/soak.sh $(BUILD)

bench: deps
	@$(MAKE) --no-print-directory all
	@scripts/bench.sh $(BUILD)
	@echo
	@echo "== the event path (scripts/bench-eventos.sh)"
	@scripts/bench-eventos.sh $(BUILD)
	@echo
	@echo "== the Lambda authorizer's package (scripts/bench-authorizer.py)"
	@$(MAKE) --no-print-directory authorizer-package >/dev/null
	@scripts/bench-authorizer.py $(BUILD)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

check-layers:
	@scripts/check-layers.sh

# make check: every static check, each one run even when an earlier one fails.
check: deps $(NPM_STAMP)
	@rc=0; \
	scripts/check-layers.sh || rc=1; \
	scripts/check-openapi.sh || rc=1; \
	scripts/check-version.sh || rc=1; \
	scripts/lint-openapi.sh || rc=1; \
	scripts/check-k8s.sh || rc=1; \
	scripts/check-gateway.sh || rc=1; \
	if git ls-files -z '*.c' '*.h' | xargs -0 clang-format --dry-run -Werror; then \
		echo "check-format: ok"; \
	else \
		echo "check-format: FAILED (make format rewrites the files above)"; rc=1; \
	fi; \
	exit $$rc

clean:
	rm -rf build build-asan $(FUZZ_BUILD)

-include $(LIB_OBJ:.o=.d) $(APP_OBJ:.o=.d) $(AUTHZ_OBJ:.o=.d) $(FAKE_OBJ:.o=.d) \
	$(SUPPORT_OBJ:.o=.d) $(TEST_BIN:=.d) $(FUZZ_OBJ:.o=.d)

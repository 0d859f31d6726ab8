# Throughline — the commands a new user types first.
#   make run     set up what is missing, build, start the controller on the sample plan
#   make test    set up what is missing, build, run the unit and end-to-end tests
# `make setup` installs Debian packages and builds pjproject once (scripts/setup skips what
# is already there, so every target can depend on it cheaply).

SHELL := /bin/bash
export PATH := $(PATH):/opt/swift/usr/bin
SWIFT ?= swift
CONFIG ?= debug

SIP ?= 127.0.0.1:5060
HTTP ?= 127.0.0.1:8080
DATA ?= var
DIALPLANS ?= dialplans

.PHONY: all setup build run test unit e2e bench cluster cluster-down prompts clean sanitize-address sanitize-thread

all: build

setup:
	@scripts/setup

build: setup
	$(SWIFT) build -c $(CONFIG)

run: build
	$(SWIFT) run -c $(CONFIG) --skip-build throughline run --dialplans $(DIALPLANS) --sip $(SIP) --http $(HTTP) --data $(DATA)

# `make test`, in order (about 23 to 27 minutes on 2 cores once pjproject is installed, 2 more to build it):
#   1. the debug build: unit tests (pure core, controller with a fake port, store) and the
#      end-to-end suites not in E2E_SANITIZED (the real binary with SIPp and pjsua over
#      loopback); those run in step 3 against the ASan build, which is a debug build too, so
#      every suite runs once with assertions on;
#   2. the release build, which is what users run: the whole end-to-end suite, against
#      .build/release/throughline (THROUGHLINE_BIN);
#   3. AddressSanitizer (.build-asan): the unit, controller and store tests, and the end-to-end
#      suites that cross the unsafe code (binding, prompt RTP, the prompt driver's hand-overs
#      and re-INVITE, keys, hunts with the pjsua phone, queues, the desk stream, the capacity
#      gate, the address blocker, the flood limit, TLS and SRTP, 2,000 mutated SIP requests and
#      pjproject's 92 torture cases) against the ASan-built binary. An ASan or LeakSanitizer
#      report aborts the binary or fails its exit status, which the tests check.
# ThreadSanitizer runs in `make bench` (see `sanitize-thread`): it would take the total past 20 minutes.
E2E_SANITIZED = EndToEndTests\.EndToEnd/(ListeningAddressTests|CallerHearsPromptTests|PromptMediaTests|KeysTests|HuntTests|QueueTests|DeskTests|CapacityTests|SecurityTests|MalformedSIPTests|FloodTests|EncryptedCallTests)/
# Run against the release build only: sipvicious against the registrar and the address blocker,
# code SecurityTests crosses under ASan; its 20 s are the attackers' tools waiting for answers.
# The call backs' three scenarios (65 s, mostly callers waiting for the offer and customers
# talking): their rules run under debug assertions in the unit suite (ThroughlineCoreTests'
# CallbackTests), and the SIP they add (a leg to the outbound address, its keys, a bridge of two
# placed legs) is the same adapter code the hunt and queue suites cross under ASan.
# The shared-store and Kamailio suites (80 s, mostly callers listening and a node's probes): the
# store's statements run under debug assertions in StoreTests on both engines, and the proxy
# and PostgreSQL are other programs.
E2E_RELEASE_ONLY = EndToEndTests\.EndToEnd/(SipviciousTests|CallbackTests|SharedDatabaseTests|KamailioTests)/
# Left out under ASan, as they cross no code the others do not and take 45 s there: the desk
# page in Chromium (the browser's time), twenty calls spread over agents (routing, pure code),
# and every failure code of a hunt member (the same path as the first).
E2E_SANITIZED_SKIP = theDeskPageInHeadlessChromium|longestIdleSpreadsTwentyCallsEvenly|everyFailureCodeMovesOn
test: setup
	$(SWIFT) build -c debug --build-tests
	THROUGHLINE_DIALPLAN_FUZZ_COUNT=2000 $(SWIFT) test --skip-build --skip '$(E2E_SANITIZED)' --skip '$(E2E_RELEASE_ONLY)'
	@echo "make test: the end-to-end suite against the release build"
	$(SWIFT) build -c release --product throughline
	THROUGHLINE_BIN="$(CURDIR)/.build/release/throughline" $(SWIFT) test --skip-build --filter EndToEndTests
	@$(MAKE) --no-print-directory sanitize-address

# The unit, controller and store tests under a sanitizer, in a scratch folder of its own so the
# ordinary debug build is not rebuilt; then the end-to-end suites in E2E_SANITIZED against the
# sanitized binary.
# A sanitizer report fails the run (ASan and TSan exit non-zero; LSan checks at exit), except
# the one leak of XCTest's own runner (scripts/lsan-suppressions.txt says which and why).
# The dialplan mutation fuzzer tries 1,000 mutants there (the debug run tries 2,000, `make bench`
# 20,000; each costs about 20 times as much under ASan, and 5,000 took 92 s, most of the unit
# phase).
SANITIZER_ENV = LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan-suppressions.txt TSAN_OPTIONS=halt_on_error=1
sanitize-address sanitize-thread: sanitize-%: setup
	@echo "make test: $* sanitizer"
	$(SWIFT) build --build-tests --sanitize=$* --scratch-path .build-$*
	$(SANITIZER_ENV) THROUGHLINE_DIALPLAN_FUZZ_COUNT=1000 $(SWIFT) test --skip-build --sanitize=$* --scratch-path .build-$* --filter 'ThroughlineCoreTests|ControllerTests|StoreTests'
	$(SANITIZER_ENV) THROUGHLINE_BIN="$(CURDIR)/.build-$*/debug/throughline" $(SWIFT) test --skip-build --filter '$(E2E_SANITIZED)' --skip '$(E2E_SANITIZED_SKIP)'

unit: setup
	$(SWIFT) test --filter 'ThroughlineCoreTests|ControllerTests'

e2e: setup
	$(SWIFT) build -c debug --build-tests
	$(SWIFT) test --skip-build --filter EndToEndTests

# Timings: a release build, then the benchmarks; tables on stdout, JSON under var/bench/.
# The latency and load benchmarks drive the release binary with SIPp from the end-to-end
# harness (bounded in calls and time: latency 100 calls each; load steps up to 4,000 calls
# held hearing shared music, up to 6,000 held each hearing its own IVR greeting (stopping at
# the first step under 99.9 % of 50 packets a second), and up to 1,500 calls/s for 5 s; the
# repeat-caller soak 10,000 short IVR calls from one
# number at 250/s, then 10,000 from as many numbers at 500/s; the queue soak, 100,000 calls
# through menu and queue at 120/s with the resident memory sampled every 10 s, about 14
# minutes; 10,000 mutated SIP requests with the resident memory before and after); they run
# only when THROUGHLINE_BENCH=1. Then the ThreadSanitizer run (`sanitize-thread`, about 5
# minutes). About 35 minutes in all.
bench: setup
	$(SWIFT) build -c release --product ThroughlineBench
	$(SWIFT) build -c release --product throughline
	$(SWIFT) run -c release --skip-build ThroughlineBench "$(CURDIR)"
	$(SWIFT) build -c debug --build-tests
	THROUGHLINE_BENCH=1 THROUGHLINE_BIN="$(CURDIR)/.build/release/throughline" $(SWIFT) test --skip-build --filter "LatencyBenchmark|LoadBenchmark|ClusterBenchmark|RepeatCallerSoakBenchmark|QueueSoakBenchmark" 2>&1 | grep -E "key-to-next-prompt|200 OK to media|agent free|key \(|controller time|screen pop|^  |Throughline load|Throughline cluster|Throughline repeat-caller|Throughline queue soak|calls failed|Test run|error|✘"
	THROUGHLINE_BENCH=1 $(SWIFT) test --skip-build --filter StoreBenchmark 2>&1 | grep -E "^  |Throughline store|Test run|✘"
	THROUGHLINE_FUZZ_COUNT=10000 THROUGHLINE_BIN="$(CURDIR)/.build/release/throughline" $(SWIFT) test --skip-build --filter MalformedSIPTests 2>&1 | grep -E "fuzz:|torture: [0-9]+ cases|Test run|✘"
	THROUGHLINE_DIALPLAN_FUZZ_COUNT=20000 $(SWIFT) test --skip-build --filter DialplanFuzzTests 2>&1 | grep -E "Test run|✘"
	@$(MAKE) --no-print-directory sanitize-thread

# Two nodes on PostgreSQL behind Kamailio, all on 127.0.0.1 (docs/cluster.md); prints where to call.
cluster: build
	THROUGHLINE_BIN="$(CURDIR)/.build/$(CONFIG)/throughline" scripts/cluster up

cluster-down:
	scripts/cluster down

prompts:
	scripts/render-prompts

clean:
	rm -rf .build .build-address .build-thread

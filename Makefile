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

.PHONY: all setup build run test unit e2e bench prompts clean

all: build

setup:
	@scripts/setup

build: setup
	$(SWIFT) build -c $(CONFIG)

run: build
	$(SWIFT) run -c $(CONFIG) --skip-build throughline run --dialplans $(DIALPLANS) --sip $(SIP) --http $(HTTP) --data $(DATA)

# Unit tests (pure core, controller with a fake port) and end-to-end tests (the real binary
# with SIPp over loopback) in one run; the end-to-end suite builds on the binary built here.
test: setup
	$(SWIFT) build -c debug --build-tests
	$(SWIFT) test --skip-build

unit: setup
	$(SWIFT) test --filter 'ThroughlineCoreTests|ControllerTests'

e2e: setup
	$(SWIFT) build -c debug --build-tests
	$(SWIFT) test --skip-build --filter EndToEndTests

# Timings: a release build, then the benchmarks; tables on stdout, JSON under var/bench/.
# The latency and load benchmarks drive the release binary with SIPp from the end-to-end
# harness (bounded in calls and time: latency 100 calls each; load steps up to 2,400 calls
# held and 1,000 calls/s for 5 s); they run only when THROUGHLINE_BENCH=1. About 8 minutes.
bench: setup
	$(SWIFT) build -c release --product ThroughlineBench
	$(SWIFT) build -c release --product throughline
	$(SWIFT) run -c release --skip-build ThroughlineBench "$(CURDIR)"
	$(SWIFT) build -c debug --build-tests
	THROUGHLINE_BENCH=1 THROUGHLINE_BIN="$(CURDIR)/.build/release/throughline" $(SWIFT) test --skip-build --filter "LatencyBenchmark|LoadBenchmark" 2>&1 | grep -E "key-to-next-prompt|200 OK to media|agent free|key \(|controller time|screen pop|^  |Throughline load|Test run|error|✘"

prompts:
	scripts/render-prompts

clean:
	rm -rf .build

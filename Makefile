# Smart Sonic: the two commands of the README, and the steps they are made of.
#   make run    install what is missing, build, start the stack on the local devnet
#   make test   install what is missing, run every suite
#   make cluster    the same with three app hosts on one PostgreSQL (make cluster-stop)
.PHONY: run stop status cluster cluster-stop cluster-status test deps deps-browser deps-load build build-debug site contracts eval test-swift test-cli test-devnet test-contracts test-integration test-e2e coverage bench load reliability fuzz clean

SWIFT_FLAGS ?=
PYTEST = .venv/bin/python -m pytest

run: deps build site contracts
	SONIC_BIN=.build/release scripts/stack.sh start

stop:
	scripts/stack.sh stop

status:
	scripts/stack.sh status

# Three app hosts on one PostgreSQL on this machine (docs/operations.md, "A cluster on one machine").
cluster: deps build site contracts
	SONIC_BIN=.build/release scripts/cluster.sh start

cluster-stop:
	scripts/cluster.sh stop

cluster-status:
	scripts/cluster.sh status

deps:
	scripts/install-deps.sh

# Vyper sources to contracts/build/*.json (ABI, bytecode), with the pinned compiler.
contracts: deps
	.venv/bin/python contracts/compile.py

deps-browser:
	scripts/install-deps.sh --browser

deps-load:
	scripts/install-deps.sh --load

build:
	swift build -c release $(SWIFT_FLAGS)

build-debug:
	swift build --build-tests $(SWIFT_FLAGS)

site: build
	.build/release/sonic-site build --output dist

# One debug build serves every Swift suite and the integration tests.
test: deps-browser build-debug contracts
	scripts/run-tests.sh

test-swift test-cli test-devnet test-contracts test-integration test-e2e: deps-browser build-debug contracts
	scripts/run-tests.sh $(@:test-%=%)

# Line coverage of the services, the HTTP layer and the indexer by the Swift tests alone
# (an instrumented build of its own in .build-coverage; not part of make test). docs/architecture.md.
coverage: deps contracts
	scripts/coverage.sh

# Figures with their references and targets (release build; see docs/benchmarks.md).
bench: deps deps-browser contracts
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	swift build -c release $(SWIFT_FLAGS)
	status=0; \
	.build/release/sonic-bench --seconds $(or $(BENCH_SECONDS),3) || status=1; \
	BENCH_SECONDS=$(or $(BENCH_SECONDS),3) .venv/bin/python scripts/bench_http.py || status=1; \
	.venv/bin/python scripts/bench_indexer.py || status=1; \
	.venv/bin/python scripts/bench_longpoll.py || status=1; \
	BENCH_SECONDS=$(or $(BENCH_SECONDS),3) .venv/bin/python scripts/bench_slownode.py || status=1; \
	.venv/bin/python scripts/bench_hostile.py || status=1; \
	.venv/bin/python scripts/bench_live.py || status=1; \
	BENCH_SECONDS=$(or $(BENCH_SECONDS),3) .venv/bin/python scripts/bench_cluster.py || status=1; \
	exit $$status

# Many people at once for LOAD_MINUTES (default 10), LOAD_USERS (default 800) of them (the node
# LOAD_NODE_DELAY_MS late when set, through the slow-node proxy): figures per
# route, errors and memory against their targets (release build; see docs/reliability.md).
load: deps-load contracts
	swift build -c release $(SWIFT_FLAGS)
	.venv/bin/python scripts/load_test.py

# The long versions of the fault and bad-input tests (see docs/reliability.md): schemathesis on
# every operation (the long-poll included) with many more examples, the indexer killed 50 times,
# the other faults, then the load test. Each prints its figures: pytest a table at its end, the
# load test its own.
reliability: deps-load build-debug contracts
	swift build -c release $(SWIFT_FLAGS)
	status=0; \
	SCHEMATHESIS_EXAMPLES=200 SCHEMATHESIS_EXCLUDE='^/metrics$$' SYNC_KILLS=50 \
		$(PYTEST) -q -s Tests/Integration/test_schema.py Tests/Integration/test_history.py Tests/Integration/test_nft.py \
		Tests/Integration/test_auth_limits.py Tests/Integration/test_health.py Tests/Integration/test_failover.py \
		Tests/Integration/test_crash.py Tests/Integration/test_disk_full.py Tests/Integration/test_node_outage.py || status=1; \
	.venv/bin/python scripts/load_test.py || status=1; \
	exit $$status

# The agent's understanding on the development set: accuracy and every failure.
eval: deps
	swift build -c release --product sonic $(SWIFT_FLAGS)
	.venv/bin/python scripts/eval-agent.py --sonic .build/release/sonic Tests/Fixtures/agent-dev.jsonl Tests/Fixtures/agent-dev-defi.jsonl Tests/Fixtures/agent-dev-alerts.jsonl Tests/Fixtures/agent-holdout-own.jsonl Tests/Fixtures/agent-holdout-own-2.jsonl Tests/Fixtures/agent-holdout-own-3.jsonl Tests/Fixtures/agent-holdout-own-4.jsonl Tests/Fixtures/agent-holdout-own-5.jsonl Tests/Fixtures/agent-holdout-own-6.jsonl Tests/Fixtures/agent-holdout-own-7.jsonl Tests/Fixtures/agent-holdout-own-8.jsonl Tests/Fixtures/agent-holdout-own-9.jsonl \
		--conversations Tests/Fixtures/agent-conversations.jsonl Tests/Fixtures/agent-safety-holdout.jsonl Tests/Fixtures/agent-safety-holdout-2.jsonl Tests/Fixtures/agent-conversations-holdout.jsonl

# libFuzzer targets of the Ethereum core, FUZZ_SECONDS each (default 60; see docs/fuzzing.md).
fuzz: deps
	scripts/fuzz.sh

clean:
	rm -rf .build dist var/test contracts/build

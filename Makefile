# The two commands a newcomer needs: `make dev` (open the dashboard) and `make test` (every test).
.PHONY: dev test setup build mock bench sizes
dev:            ## set up (if needed) and serve the dashboard on http://127.0.0.1:8080
	scripts/dev.sh
test:           ## set up (if needed) and run every test; CI runs this
	scripts/test.sh
setup:          ## install the toolchain (idempotent)
	scripts/setup.sh
build:          ## release build into dist/
	scripts/setup.sh && scripts/build-dist.sh
mock:           ## the mock API on http://127.0.0.1:8787 (key: demo-key)
	cargo run -p mock-api -- --port 8787
bench:          ## benchmarks, results in bench/RESULTS.md
	scripts/bench.sh
sizes:          ## transfer size of dist/
	scripts/sizes.sh dist

#!/usr/bin/env bash
# Browser tests for buyright: builds the binary, starts it with demo data on
# a throw-away SQLite file and a free loopback port, runs e2e/a11y.mjs in
# headless Chromium, stops the server and exits with the tests' status.
#
#   bash e2e/run.sh
#
# Needs: go, node >= 20 and npm, curl, and Chromium at /usr/bin/chromium (or
# CHROMIUM=/path); BUYRIGHT_BIN=/path skips the build. Installs the npm packages with `npm ci` when
# e2e/node_modules is missing. Everything stops by itself: the server gets
# 180 s to come up and the browser script 25 minutes (E2E_TIMEOUT seconds).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
E2E_TIMEOUT="${E2E_TIMEOUT:-1500}"
started=$(date +%s)

say() { printf '== e2e: %s\n' "$*"; }
die() {
	say "$*"
	echo "e2e: 0 passed, 1 failed"
	exit 1
}

for tool in go node npm curl timeout; do
	command -v "$tool" >/dev/null || die "missing $tool"
done
if [ ! -x "$CHROMIUM" ]; then
	die "no Chromium at $CHROMIUM (apt-get install -y chromium)"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/buyright-e2e.XXXXXX")"
server_pid=""
cleanup() {
	local rc=$?
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill "$server_pid" 2>/dev/null || true
		for _ in $(seq 1 50); do
			kill -0 "$server_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/axe-core" ]; then
	say "installing npm packages (npm ci)"
	(cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
fi

# BUYRIGHT_BIN=/path/to/buyright tests a binary built elsewhere instead.
bin="${BUYRIGHT_BIN:-}"
if [ -z "$bin" ]; then
	say "building the binary"
	(cd "$root" && go build -o "$tmp/buyright" ./cmd/buyright) || die "go build failed"
	bin="$tmp/buyright"
fi

# A free loopback port: ask the kernel for one, then hand it to the server.
port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
base="http://127.0.0.1:$port"

say "starting the server on $base with demo data"
# --trusted-proxies: the browser sessions each send an address of their
# own in X-Forwarded-For (a11y.mjs, openSession), as separate visitors.
"$bin" serve --demo --db "sqlite:$tmp/e2e.db" --addr "127.0.0.1:$port" --trusted-proxies 127.0.0.1/32 \
	>"$tmp/demo.txt" 2>"$tmp/server.log" &
server_pid=$!

up=""
deadline=$(($(date +%s) + 180))
while [ "$(date +%s)" -lt "$deadline" ]; do
	if ! kill -0 "$server_pid" 2>/dev/null; then
		cat "$tmp/server.log" >&2
		die "the server stopped while starting (its log is above)"
	fi
	if curl -fsS -m 2 "$base/healthz" >/dev/null 2>&1; then
		up=yes
		break
	fi
	sleep 0.1
done
if [ -z "$up" ]; then
	cat "$tmp/server.log" >&2
	die "the server did not answer /healthz within 180 s (its log is above)"
fi
if ! grep -q 'ana@portavera.example' "$tmp/demo.txt"; then
	cat "$tmp/demo.txt" "$tmp/server.log" >&2
	die "the demo sign-ins were not printed (the database was not empty?)"
fi
say "server up after $(($(date +%s) - started)) s; running the browser checks"

set +e
BASE_URL="$base" DEMO_SIGNINS="$tmp/demo.txt" OUT_DIR="$here/out" \
	E2E_TIMEOUT_MS="$((E2E_TIMEOUT > 30 ? E2E_TIMEOUT * 1000 - 15000 : E2E_TIMEOUT * 500))" \
	timeout -k 10 "$E2E_TIMEOUT" node "$here/a11y.mjs" | tee "$tmp/node.txt"
status=${PIPESTATUS[0]}
set -e

if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
	say "the browser checks were stopped after ${E2E_TIMEOUT} s"
fi
if grep -qE 'level=(ERROR|WARN)' "$tmp/server.log"; then
	say "server warnings and errors:"
	grep -E 'level=(ERROR|WARN)' "$tmp/server.log" | head -20
fi
elapsed=$(($(date +%s) - started))
if [ "$status" -eq 0 ]; then
	say "PASSED in ${elapsed} s (screenshots in e2e/out/)"
else
	say "FAILED (exit $status) in ${elapsed} s; see the FAIL lines above"
fi
# The counts again as the very last line, for whoever reads the tail.
counts="$(grep -E '^e2e: [0-9]+ passed, [0-9]+ failed$' "$tmp/node.txt" | tail -1 || true)"
if [ -z "$counts" ] || { [ "$status" -ne 0 ] && [[ "$counts" == *" 0 failed" ]]; }; then
	counts="e2e: 0 passed, 1 failed"
fi
echo "$counts"
exit "$status"

#!/usr/bin/env bash
# bench-screen.sh: throughput and memory of `buyright screen` against a
# Python standard-library baseline doing the minimal extraction, measured
# side by side in one run on the same files.
#
# It builds a JSON Lines file of at least 250 MB (and one of at least 1 GB for
# the memory check) by repeating the shared releases, in a temporary
# directory that is deleted at the end, builds the binary, runs both, and
# prints MB/s of each, the ratio and peak resident memory.
#
# Usage: scripts/bench-screen.sh [SHARED_OCDS_DIR]
# Needs: go, python3, and /usr/bin/time (GNU time, for peak memory; on
# Debian/Ubuntu: apt-get install time). Every step has a time limit.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
shared=${1:-$root/../shared/data/ocds}
corpus=$shared/releases.jsonl
keywords=$shared/digital-tech-keywords.csv
[ -f "$corpus" ] || { echo "bench-screen: $corpus not found; pass the shared OCDS folder as an argument" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-screen.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

timer=()
if [ -x /usr/bin/time ] && /usr/bin/time -v true 2>/dev/null; then
	timer=(/usr/bin/time -v)
else
	echo "bench-screen: /usr/bin/time (GNU time) not found: peak memory will not be reported (apt-get install time)" >&2
fi

# build FILE MIN_BYTES: repeat the corpus until FILE holds at least MIN_BYTES.
build() {
	local out=$1 min=$2 size
	size=$(wc -c <"$corpus")
	local n=$(((min + size - 1) / size))
	for ((i = 0; i < n; i++)); do cat "$corpus"; done >"$out"
}

echo "Building test files in $tmp ..."
build "$tmp/250.jsonl" 250000000
build "$tmp/1g.jsonl" 1000000000
(cd "$root" && timeout 300 go build -o "$tmp/buyright" ./cmd/buyright)

# run LABEL FILE CMD...: runs CMD with stdout to /dev/null, prints seconds,
# MB/s and peak RSS; leaves MB/s in $rate.
run() {
	local label=$1 file=$2
	shift 2
	local bytes start end secs rss="n/a" cpu="n/a"
	bytes=$(wc -c <"$file")
	cat "$file" >/dev/null # same page-cache state for every contender
	start=$(date +%s.%N)
	if [ ${#timer[@]} -gt 0 ]; then
		timeout 900 "${timer[@]}" -o "$tmp/time.txt" "$@" >/dev/null 2>"$tmp/err.txt"
		rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f MB", $2/1024}' "$tmp/time.txt")
		cpu=$(awk -F': ' '/Percent of CPU this job got/ {print $2}' "$tmp/time.txt")
	else
		timeout 900 "$@" >/dev/null 2>"$tmp/err.txt"
	fi
	end=$(date +%s.%N)
	secs=$(awk "BEGIN {print $end - $start}")
	rate=$(awk "BEGIN {print $bytes / 1000000 / $secs}")
	printf '%-44s %7.1f MB %6.2f s %7.1f MB/s  peak RSS %-7s CPU %s\n' "$label" "$(awk "BEGIN {print $bytes / 1000000}")" "$secs" "$rate" "$rss" "$cpu"
}

echo
echo "On $(nproc) cores, $(go version | awk '{print $3}'), $(python3 --version);"
# Other work on the machine takes cores from the parallel Go side but not
# from single-threaded Python: the load average and each run's CPU share
# say how much the figures were squeezed. The two contenders are run in
# turn, three rounds, and each keeps its best round, which is fair to both.
echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
py=0
go=0
for round in 1 2 3; do
	run "python baseline, 250 MB (round $round)" "$tmp/250.jsonl" python3 "$root/scripts/screen_baseline.py" "$keywords" "$tmp/250.jsonl"
	py=$(awk "BEGIN {print ($rate > $py) ? $rate : $py}")
	run "buyright screen, 250 MB (round $round)" "$tmp/250.jsonl" "$tmp/buyright" screen --no-progress "$tmp/250.jsonl"
	go=$(awk "BEGIN {print ($rate > $go) ? $rate : $go}")
done
run "buyright screen --format csv, 250 MB" "$tmp/250.jsonl" "$tmp/buyright" screen --no-progress --format csv "$tmp/250.jsonl"
run "buyright screen, 1 GB" "$tmp/1g.jsonl" "$tmp/buyright" screen --no-progress "$tmp/1g.jsonl"
run "buyright screen, 1 GB from stdin" "$tmp/1g.jsonl" sh -c "'$tmp/buyright' screen --no-progress - < '$tmp/1g.jsonl'"
echo
printf 'Best of 3 on 250 MB: python %.1f MB/s, buyright %.1f MB/s\n' "$py" "$go"
printf 'Ratio buyright / python: %.1fx (target: at least 3x)\n' "$(awk "BEGIN {print $go / $py}")"
echo "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"

#!/bin/sh
# The internal pages on SQLite and on PostgreSQL side by side: runs
# tools/webbench on a fresh SQLite file and then on a fresh PostgreSQL
# schema with the same purchases, and prints one table with the ratio.
#   scripts/bench-pages.sh POSTGRES_URL [PURCHASES] [CLIENTS] [DURATION]
set -eu
pg=${1:?usage: scripts/bench-pages.sh POSTGRES_URL [PURCHASES] [CLIENTS] [DURATION]}
n=${2:-10000}
clients=${3:-16}
dur=${4:-5s}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/webbench" ./tools/webbench
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$tmp/webbench" -purchases "$n" -clients "$clients" -duration "$dur" | tee "$tmp/sqlite.txt"
"$tmp/webbench" -purchases "$n" -clients "$clients" -duration "$dur" -db "$pg" | tee "$tmp/pg.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| page ($n purchases, $clients clients) | SQLite req/s | SQLite p95 ms | PostgreSQL req/s | PostgreSQL p95 ms | PostgreSQL/SQLite throughput |"
echo "|---|---|---|---|---|---|"
# Rows are "page req/s p50 p95 p99 vs": join the two runs on the page.
awk 'FNR==1 { file++ }
	NF >= 6 && $(NF) ~ /%$/ && $1 != "page" {
		name = $1; for (i = 2; i <= NF - 5; i++) name = name " " $i
		rps[file, name] = $(NF-4); p95[file, name] = $(NF-2)
		if (file == 1) order[++k] = name
	}
	END { for (i = 1; i <= k; i++) { n = order[i]
		printf "| `%s` | %s | %s | %s | %s | %.2f |\n", n, rps[1, n], p95[1, n], rps[2, n], p95[2, n], (rps[1, n] > 0 ? rps[2, n] / rps[1, n] : 0) } }' "$tmp/sqlite.txt" "$tmp/pg.txt"

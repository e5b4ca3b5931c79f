#!/bin/sh
# Peak memory of `buyright import` at two input sizes: streams N releases
# (copies of the shared corpus with ocids rewritten per copy, so every one
# is a new purchase) into `buyright import -` on a fresh database, and
# prints /usr/bin/time -v's peak RSS. Nothing is written to disk but the
# database, so a million releases (13 GB of JSON) need no room for a file.
#   scripts/bench-import-memory.sh DB_URL|sqlite N [N...] 
#   e.g. scripts/bench-import-memory.sh sqlite 100000 1000000
#        scripts/bench-import-memory.sh 'postgres://…' 100000 1000000
# DB_URL "sqlite" means a fresh temporary SQLite file per size; a postgres
# URL gets a fresh scratch schema per size, dropped afterwards.
set -eu
db=${1:?usage: scripts/bench-import-memory.sh DB_URL|sqlite N [N...]}
shift
data=${DATA:-../shared/data/ocds}
tmp=$(mktemp -d)
schemas=""
cleanup() {
	for s in $schemas; do psql -q "$db" -c "DROP SCHEMA IF EXISTS $s CASCADE" >/dev/null 2>&1 || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT
go build -o "$tmp/buyright" ./cmd/buyright
per=$(wc -l <"$data/releases.jsonl")
for n in "$@"; do
	if [ "$db" = sqlite ]; then
		url="sqlite:$tmp/m$n.db"
	else
		s="bench_mem_$$_$n"
		schemas="$schemas $s"
		psql -q "$db" -c "CREATE SCHEMA $s"
		case "$db" in *\?*) url="$db&search_path=$s" ;; *) url="$db?search_path=$s" ;; esac
	fi
	copies=$(((n + per - 1) / per))
	echo "== $n releases ($copies copies of $per), load average $(cut -d' ' -f1-3 /proc/loadavg)"
	i=0
	while [ "$i" -lt "$copies" ]; do
		sed "s/\"ocid\":\"/\"ocid\":\"m$i-/" "$data/releases.jsonl"
		i=$((i + 1))
	done | head -n "$n" |
		/usr/bin/time -v "$tmp/buyright" import --no-progress --db "$url" --org bench - 2>"$tmp/time.txt" >/dev/null || { cat "$tmp/time.txt"; exit 1; }
	grep -E "^Read|^Took" "$tmp/time.txt"
	grep -E "Maximum resident set size|Elapsed \(wall" "$tmp/time.txt" | sed 's/^\s*/  /'
	rm -f "$tmp/m$n.db"*
done

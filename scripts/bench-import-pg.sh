#!/bin/sh
# Measures `buyright import` into PostgreSQL against a bare COPY of the same
# releases as JSON rows, and against the same import into SQLite, in one
# run on one machine, and prints the ratios.
#   scripts/bench-import-pg.sh POSTGRES_URL [COPIES] [PATH/TO/shared/data/ocds]
# It builds a file of COPIES x the shared releases (1,051 each, ocids made
# unique per copy), then in fresh scratch schemas (dropped afterwards):
#   1. COPY of every line into a table (id bigserial, doc jsonb): PostgreSQL
#      parses and stores each release, nothing more;
#   2. buyright import into PostgreSQL, then the same import again
#      (nothing changes) and `audit verify`;
#   3. buyright import into a fresh SQLite file.
# Both databases are migrated before the imports are timed.
set -eu
pg=${1:?usage: scripts/bench-import-pg.sh POSTGRES_URL [COPIES] [DATA]}
copies=${2:-100}
data=${3:-../shared/data/ocds}
tmp=$(mktemp -d)
s1="bench_copy_$$"
s2="bench_import_$$"
cleanup() {
	psql -q "$pg" -c "DROP SCHEMA IF EXISTS $s1 CASCADE" -c "DROP SCHEMA IF EXISTS $s2 CASCADE" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
go build -o "$tmp/buyright" ./cmd/buyright
i=0
while [ "$i" -lt "$copies" ]; do
	sed "s/\"ocid\":\"/\"ocid\":\"c$i-/" "$data/releases.jsonl"
	i=$((i + 1))
done >"$tmp/big.jsonl"
n=$(wc -l <"$tmp/big.jsonl")
echo "input: $n releases, $(du -m "$tmp/big.jsonl" | cut -f1) MB; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# The URL with the scratch schema as search_path (pgx reads it as a
# run-time parameter).
case "$pg" in *\?*) sep='&' ;; *) sep='?' ;; esac
withschema="$pg${sep}search_path=$s2"
psql -q "$pg" -c "CREATE SCHEMA $s1" -c "CREATE SCHEMA $s2"

secs() { date +%s.%N; }
echo "== bare COPY into (id bigserial, doc jsonb)"
psql -q "$pg" -c "CREATE TABLE $s1.releases (id bigserial PRIMARY KEY, doc jsonb NOT NULL)"
t0=$(secs)
# CSV with quote and delimiter bytes that never occur in JSON Lines, so
# each line arrives as it is (text format would read its backslashes).
psql -q "$pg" -c "\\copy $s1.releases (doc) FROM '$tmp/big.jsonl' WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
t1=$(secs)
copy=$(echo "$t1 - $t0" | bc)
echo "wall ${copy}s, $(psql -Atq "$pg" -c "SELECT count(*) FROM $s1.releases") rows"

# Both databases get their schema first, untimed: creating it is done once
# per installation (about 0.6 s on PostgreSQL, 0.15 s on SQLite), not per
# import, and would otherwise weigh on small inputs.
"$tmp/buyright" migrate --db "$withschema" >/dev/null
"$tmp/buyright" migrate --db "sqlite:$tmp/b.db" >/dev/null

echo "== buyright import into PostgreSQL (fresh schema)"
t0=$(secs)
/usr/bin/time -f "wall %es, CPU %P, peak RSS %MKB" "$tmp/buyright" import --no-progress --db "$withschema" --org bench "$tmp/big.jsonl"
t1=$(secs)
pgimp=$(echo "$t1 - $t0" | bc)
echo "== the same import again (nothing changes)"
t0=$(secs)
/usr/bin/time -f "wall %es, CPU %P, peak RSS %MKB" "$tmp/buyright" import --no-progress --db "$withschema" --org bench "$tmp/big.jsonl"
t1=$(secs)
pgagain=$(echo "$t1 - $t0" | bc)
"$tmp/buyright" audit verify --db "$withschema"

echo "== buyright import into SQLite (fresh file)"
t0=$(secs)
/usr/bin/time -f "wall %es, CPU %P, peak RSS %MKB" "$tmp/buyright" import --no-progress --db "sqlite:$tmp/b.db" --org bench "$tmp/big.jsonl"
t1=$(secs)
sqimp=$(echo "$t1 - $t0" | bc)

echo
printf 'bare COPY                  %8.2f s  %8.0f releases/s\n' "$copy" "$(echo "$n / $copy" | bc -l)"
printf 'import into PostgreSQL     %8.2f s  %8.0f releases/s  %.2fx COPY\n' "$pgimp" "$(echo "$n / $pgimp" | bc -l)" "$(echo "$pgimp / $copy" | bc -l)"
printf 'again, nothing changes     %8.2f s  %8.0f releases/s  %.2fx COPY\n' "$pgagain" "$(echo "$n / $pgagain" | bc -l)" "$(echo "$pgagain / $copy" | bc -l)"
printf 'import into SQLite         %8.2f s  %8.0f releases/s  PostgreSQL/SQLite %.2fx\n' "$sqimp" "$(echo "$n / $sqimp" | bc -l)" "$(echo "$pgimp / $sqimp" | bc -l)"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"

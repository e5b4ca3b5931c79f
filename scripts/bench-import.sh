#!/bin/sh
# Measures `buyright import` into a fresh SQLite file: builds a file of
# COPIES x the shared releases (1,051 each) with ocids made unique per copy,
# imports it, imports it again (everything unchanged), then exports the
# register as OCDS after publishing every purchase.
#   scripts/bench-import.sh [COPIES] [PATH/TO/shared/data/ocds]
set -eu
copies=${1:-100}
data=${2:-../shared/data/ocds}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/buyright" ./cmd/buyright
i=0
while [ "$i" -lt "$copies" ]; do
	sed "s/\"ocid\":\"/\"ocid\":\"c$i-/" "$data/releases.jsonl"
	i=$((i + 1))
done > "$tmp/big.jsonl"
echo "input: $(wc -l < "$tmp/big.jsonl") releases, $(du -m "$tmp/big.jsonl" | cut -f1) MB; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== first import (fresh database)"
/usr/bin/time -f "wall %es, CPU %P, peak RSS %MKB" "$tmp/buyright" import --no-progress --db "sqlite:$tmp/b.db" --org bench "$tmp/big.jsonl"
echo "== second import (nothing changes)"
/usr/bin/time -f "wall %es, CPU %P, peak RSS %MKB" "$tmp/buyright" import --no-progress --db "sqlite:$tmp/b.db" --org bench "$tmp/big.jsonl"
"$tmp/buyright" audit verify --db "sqlite:$tmp/b.db"
echo "== export of every purchase (all published for the benchmark)"
sqlite3 "$tmp/b.db" "INSERT INTO publications (purchase_id, published, summary, decided_at) SELECT id, 1, 'bench', CURRENT_TIMESTAMP FROM purchases" 2>/dev/null ||
	echo "(sqlite3 not installed: export skipped)"
if [ "$(sqlite3 "$tmp/b.db" 'SELECT COUNT(*) FROM publications' 2>/dev/null || echo 0)" -gt 0 ]; then
	"$tmp/buyright" export ocds --db "sqlite:$tmp/b.db" > "$tmp/out.jsonl"
	ls -l "$tmp/out.jsonl" | awk '{print "export file:", $5, "bytes"}'
fi

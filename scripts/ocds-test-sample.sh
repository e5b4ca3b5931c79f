#!/usr/bin/env bash
# Rebuilds testdata/ocds/ (the OCDS sample the tests read when the team's
# shared corpus is not beside the repository) from that corpus:
#
#   bash scripts/ocds-test-sample.sh [../shared/data/ocds]
#
# It keeps every release hand-labelled in internal/ocds/testdata/labels.csv
# (so the precision and recall test measures the same thing on either), then
# tops each publisher up with its next releases in file order, leaving out
# releases longer than 30,000 bytes, to the quota below. Releases keep their
# order and bytes; provenance.csv says where each line came from.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
src=${1:-$root/../shared/data/ocds}
out=$root/testdata/ocds
labels=$root/internal/ocds/testdata/labels.csv
mkdir -p "$out/bad"

# pick: one shared line number per output line, in order.
awk -F, -v labels="$labels" '
BEGIN {
  while ((getline l < labels) > 0) { split(l, f, ","); if (f[1] ~ /^[0-9]+$/) keep[f[1]] = 1 }
  quota["armenia"] = 60; quota["mexico/grupo-aeroportuario"] = 30; quota["paraguay"] = 30
  quota["mexico/inai"] = 20; quota["moldova"] = 12
}
FNR == NR { if (FNR > 1) pub[$1] = $2; next }
{ size[FNR] = length($0) }
END {
  for (n = 1; n <= FNR; n++) if (keep[n]) have[pub[n]]++
  for (n = 1; n <= FNR; n++) {
    p = pub[n]; q = (p in quota) ? quota[p] : 10
    if (!keep[n] && have[p] < q && size[n] <= 30000) { keep[n] = 1; have[p]++ }
  }
  for (n = 1; n <= FNR; n++) if (keep[n]) print n
}' "$src/provenance.csv" "$src/releases.jsonl" > "$out/.lines"

awk 'NR == FNR { want[$1] = 1; next } FNR in want' "$out/.lines" "$src/releases.jsonl" > "$out/releases.jsonl"
{
  echo "line,shared_line,publisher,ocid,release_id,source_repo,commit,source_path"
  awk -F, 'NR == FNR { want[$1] = ++k; next } FNR > 1 && ($1 in want) { printf "%d,%s\n", want[$1], $0 }' "$out/.lines" "$src/provenance.csv"
} > "$out/provenance.csv"
rm "$out/.lines"
cp "$src"/bad/* "$out/bad/"
echo "wrote $(wc -l < "$out/releases.jsonl") releases to $out"

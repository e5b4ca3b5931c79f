#!/usr/bin/env python3
"""Baseline for scripts/bench-screen.sh: the minimal screening extraction in
plain Python (standard library only), one JSON Lines release at a time.

For each line it parses the JSON, reads ocid, tender.title, the item
classification ids and tender.procurementMethod, and checks whether any
keyword from the keyword CSV occurs in the lowercased title. It prints one
short JSON object a line, so its work is comparable to `buyright screen`
(which does more: all texts, code prefixes, flags). It exists only to give
the Go command a fair, honest yardstick.

Usage: screen_baseline.py KEYWORDS.csv FILE.jsonl > out.jsonl
"""
import csv
import json
import sys


def load_keywords(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [row["keyword"].lower() for row in csv.DictReader(f)]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    keywords = load_keywords(sys.argv[1])
    out = sys.stdout
    lines = bad = 0
    with open(sys.argv[2], "rb") as f:
        for raw in f:
            lines += 1
            try:
                r = json.loads(raw)
            except ValueError:
                bad += 1
                continue
            if not isinstance(r, dict):
                bad += 1
                continue
            tender = r.get("tender") or {}
            if not isinstance(tender, dict):
                tender = {}
            title = tender.get("title")
            if not isinstance(title, str):
                title = ""
            codes = []
            items = tender.get("items") or []
            if isinstance(items, list):
                for it in items:
                    if isinstance(it, dict):
                        c = it.get("classification") or {}
                        if isinstance(c, dict) and c.get("id") is not None:
                            codes.append(str(c.get("id")))
            low = title.lower()
            hit = any(k in low for k in keywords)
            out.write(json.dumps({
                "ocid": r.get("ocid"),
                "title": title,
                "codes": codes,
                "method": tender.get("procurementMethod"),
                "keyword": hit,
            }, ensure_ascii=False))
            out.write("\n")
    print(f"lines {lines} rejected {bad}", file=sys.stderr)


if __name__ == "__main__":
    main()

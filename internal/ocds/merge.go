package ocds

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"
)

// mergeReleases compiles a record's releases into one release with the OCDS
// merge rules: releases are applied oldest first; objects merge key by key;
// arrays of objects that all carry an "id" merge element by element on that
// id; any other array or value replaces the earlier one; null removes it.
//
// Records are rare next to releases and the input was already validated by
// the scanner, so this uses encoding/json on generic values for clarity.
func mergeReleases(raws [][]byte, ocid string) ([]byte, error) {
	type dated struct {
		when time.Time
		text string
		obj  map[string]any
	}
	rels := make([]dated, 0, len(raws))
	linked := 0
	for i, raw := range raws {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil || obj == nil {
			return nil, fmt.Errorf("releases[%d] of the record is not a JSON object", i)
		}
		if isLinkedRelease(obj) {
			linked++
			continue
		}
		text, _ := obj["date"].(string)
		when, _ := time.Parse(time.RFC3339, text)
		rels = append(rels, dated{when, text, obj})
	}
	if len(rels) == 0 {
		if linked > 0 {
			return nil, errors.New("record has no compiledRelease and its releases are only links (url, date, tag); fetch the linked release packages and screen those")
		}
		return nil, errors.New("record has no releases to merge")
	}
	sort.SliceStable(rels, func(i, j int) bool {
		a, b := rels[i], rels[j]
		if !a.when.IsZero() && !b.when.IsZero() {
			return a.when.Before(b.when)
		}
		return a.text < b.text
	})
	out := map[string]any{}
	for _, r := range rels {
		mergeObject(out, r.obj)
	}
	if _, ok := out["ocid"]; !ok && ocid != "" {
		out["ocid"] = ocid
	}
	out["tag"] = []any{"compiled"}
	return json.Marshal(out)
}

// isLinkedRelease reports a release given only by reference, as record
// packages may do: nothing but url, date and tag.
func isLinkedRelease(obj map[string]any) bool {
	if _, ok := obj["url"]; !ok {
		return false
	}
	for k := range obj {
		if k != "url" && k != "date" && k != "tag" {
			return false
		}
	}
	return true
}

func mergeObject(dst, src map[string]any) {
	for k, v := range src {
		switch sv := v.(type) {
		case nil:
			delete(dst, k)
		case map[string]any:
			dv, ok := dst[k].(map[string]any)
			if !ok {
				dv = map[string]any{}
				dst[k] = dv
			}
			mergeObject(dv, sv)
		case []any:
			if prev, ok := dst[k].([]any); ok && allHaveIDs(sv) && allHaveIDs(prev) {
				dst[k] = mergeByID(prev, sv)
			} else {
				dst[k] = stripNulls(sv)
			}
		default:
			dst[k] = v
		}
	}
}

func allHaveIDs(a []any) bool {
	for _, e := range a {
		o, ok := e.(map[string]any)
		if !ok {
			return false
		}
		if _, ok := o["id"]; !ok {
			return false
		}
	}
	return len(a) > 0
}

func idKey(o map[string]any) string { return fmt.Sprint(o["id"]) }

func mergeByID(prev, next []any) []any {
	pos := make(map[string]int, len(prev))
	out := make([]any, len(prev))
	copy(out, prev)
	for i, e := range prev {
		pos[idKey(e.(map[string]any))] = i
	}
	for _, e := range next {
		o := e.(map[string]any)
		if i, ok := pos[idKey(o)]; ok {
			mergeObject(out[i].(map[string]any), o)
			continue
		}
		n := map[string]any{}
		mergeObject(n, o)
		pos[idKey(o)] = len(out)
		out = append(out, n)
	}
	return out
}

// stripNulls copies an array, dropping null members of its objects, since a
// null in a release means "no value" and must not reach the compiled one.
func stripNulls(a []any) []any {
	out := make([]any, len(a))
	for i, e := range a {
		if o, ok := e.(map[string]any); ok {
			n := map[string]any{}
			mergeObject(n, o)
			out[i] = n
			continue
		}
		out[i] = e
	}
	return out
}

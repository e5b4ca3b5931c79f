package assessment

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// Change is one difference between two versions of an assessment.
type Change struct {
	Section string `json:"section"` // scope, engagement, impact, mitigation, checklist...
	Item    string `json:"item"`    // which entry: an id, a requirement id, or "" for a section field
	Field   string `json:"field"`
	Kind    string `json:"kind"` // added, removed, changed
	Old     string `json:"old"`
	New     string `json:"new"`
}

// Diff lists what changed from a to b, section by section: fields of the
// single sections, and list entries matched by id (added, removed, or
// changed field by field), checklist entries by requirement id.
func Diff(a, b *Doc) []Change {
	var out []Change
	out = append(out, diffStruct("scope", "", a.Scope, b.Scope)...)
	if a.NoEngagementReason != b.NoEngagementReason {
		out = append(out, Change{Section: "engagement", Field: "no_engagement_reason", Kind: "changed", Old: a.NoEngagementReason, New: b.NoEngagementReason})
	}
	out = append(out, diffStruct("legality", "", a.Legality, b.Legality)...)
	out = append(out, diffStruct("data", "", a.Data, b.Data)...)
	out = append(out, diffList("engagement", a.Engagements, b.Engagements, func(e Engagement) int { return e.ID })...)
	out = append(out, diffList("misuse", a.Misuses, b.Misuses, func(e Misuse) int { return e.ID })...)
	out = append(out, diffList("impact", a.Impacts, b.Impacts, func(e Impact) int { return e.ID })...)
	out = append(out, diffList("mitigation", a.Mitigations, b.Mitigations, func(e Mitigation) int { return e.ID })...)
	for _, id := range unionKeys(a.Elements, b.Elements) {
		if x, y := a.Elements[id], b.Elements[id]; x != y {
			kind := "changed"
			if x == "" {
				kind = "added"
			} else if y == "" {
				kind = "removed"
			}
			out = append(out, Change{Section: "elements", Item: id, Field: "text", Kind: kind, Old: x, New: y})
		}
	}
	for _, id := range unionKeys(a.Checklist, b.Checklist) {
		x, inA := a.Checklist[id]
		y, inB := b.Checklist[id]
		switch {
		case !inA:
			out = append(out, Change{Section: "checklist", Item: id, Field: "status", Kind: "added", New: y.Status})
		case !inB:
			out = append(out, Change{Section: "checklist", Item: id, Field: "status", Kind: "removed", Old: x.Status})
		default:
			out = append(out, diffStruct("checklist", id, x, y)...)
		}
	}
	if a.PublicSummary != b.PublicSummary {
		out = append(out, Change{Section: "summary", Field: "public_summary", Kind: "changed", Old: a.PublicSummary, New: b.PublicSummary})
	}
	return out
}

func diffList[T any](section string, a, b []T, id func(T) int) []Change {
	var out []Change
	byID := map[int]T{}
	for _, x := range a {
		byID[id(x)] = x
	}
	seen := map[int]bool{}
	for _, y := range b {
		k := id(y)
		seen[k] = true
		x, ok := byID[k]
		if !ok {
			out = append(out, Change{Section: section, Item: fmt.Sprint(k), Kind: "added", New: summary(y)})
			continue
		}
		out = append(out, diffStruct(section, fmt.Sprint(k), x, y)...)
	}
	for _, x := range a {
		if !seen[id(x)] {
			out = append(out, Change{Section: section, Item: fmt.Sprint(id(x)), Kind: "removed", Old: summary(x)})
		}
	}
	return out
}

// diffStruct compares two values of one struct type field by field, by
// their JSON names.
func diffStruct(section, item string, a, b any) []Change {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	t := va.Type()
	var out []Change
	for i := 0; i < t.NumField(); i++ {
		name := jsonName(t.Field(i))
		if name == "id" {
			continue
		}
		x, y := va.Field(i).Interface(), vb.Field(i).Interface()
		if !reflect.DeepEqual(x, y) {
			out = append(out, Change{Section: section, Item: item, Field: name, Kind: "changed", Old: show(x), New: show(y)})
		}
	}
	return out
}

func jsonName(f reflect.StructField) string {
	n, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if n == "" {
		return f.Name
	}
	return n
}

func show(v any) string {
	switch x := v.(type) {
	case []string:
		return strings.Join(x, ", ")
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case int:
		if x == 0 {
			return ""
		}
	}
	return fmt.Sprint(v)
}

// summary is a one-line account of a list entry for added/removed rows.
func summary(v any) string {
	rv := reflect.ValueOf(v)
	t := rv.Type()
	var parts []string
	for i := 0; i < t.NumField(); i++ {
		name := jsonName(t.Field(i))
		if name == "id" {
			continue
		}
		if s := show(rv.Field(i).Interface()); s != "" {
			parts = append(parts, name+": "+s)
		}
	}
	return strings.Join(parts, "; ")
}

// unionKeys lists the keys of two maps, sorted.
func unionKeys[V any](a, b map[string]V) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range []map[string]V{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

package screening

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// maxChanges bounds the list: past a handful, a person reads the decisive
// reasons instead.
const maxChanges = 12

// changes tries, one question at a time, every other answer a person could
// give and keeps those that lower the level or lift the stop without
// leaving the screening incomplete or contradictory. It answers "what
// would have to be different for this to be lower?", which the decisive
// reasons alone do not when several rules set the same level.
func (q *Questionnaire) changes(a Answers, cur Result) []Change {
	if cur.Level <= 1 && !cur.Stop {
		return nil
	}
	var out []Change
	for _, it := range q.Visible(a) {
		from, ok := a[it.ID]
		if !ok {
			continue
		}
		for _, to := range q.alternatives(it.ID, from) {
			b := make(Answers, len(a))
			for k, x := range a {
				b[k] = x
			}
			b[it.ID] = to
			b = q.Prune(b)
			// A change that withdraws a large part of the questionnaire
			// ("not digital after all") describes another purchase, not an
			// answer a person could reconsider.
			if 3*(len(a)-len(b)) > len(a) {
				continue
			}
			if len(q.Conflicts(b)) > 0 {
				continue
			}
			r := q.score(b)
			if !r.Complete() {
				continue
			}
			lower := r.Level < cur.Level
			lifts := cur.Stop && !r.Stop
			if !lower && !lifts {
				continue
			}
			c := Change{Question: it.ID, From: from, To: to, Level: r.Level, LevelName: r.LevelName, Stop: r.Stop}
			switch {
			case lower && lifts:
				c.Text = fmt.Sprintf("answering %s instead of %s to %s would lift the stop and lower the level to %s", show(to), show(from), it.ID, r.LevelName)
			case lifts:
				c.Text = fmt.Sprintf("answering %s instead of %s to %s would lift the stop (level %s remains)", show(to), show(from), it.ID, r.LevelName)
			default:
				c.Text = fmt.Sprintf("answering %s instead of %s to %s would lower the level to %s", show(to), show(from), it.ID, r.LevelName)
			}
			out = append(out, c)
		}
	}
	// Biggest effect first; questionnaire order otherwise.
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Stop != out[j].Stop {
			return !out[i].Stop
		}
		return out[i].Level < out[j].Level
	})
	if len(out) > maxChanges {
		out = out[:maxChanges]
	}
	return out
}

// alternatives are the other answers worth trying for a question: the
// other options of a choice, each ticked option taken away from a
// multiple choice, and for a number the values just across every
// threshold a rule compares it with.
func (q *Questionnaire) alternatives(id string, from any) []any {
	it := q.byID[id]
	var out []any
	switch it.Type {
	case "yes_no":
		if from == "yes" {
			out = append(out, "no")
		} else {
			out = append(out, "yes")
		}
	case "single":
		for _, o := range it.Options {
			if o.ID != from {
				out = append(out, o.ID)
			}
		}
	case "multiple":
		list, _ := from.([]string)
		for _, x := range list {
			rest := slices.DeleteFunc(slices.Clone(list), func(s string) bool { return s == x })
			if len(rest) == 0 {
				if _, ok := it.Option("none"); !ok || x == "none" {
					continue
				}
				rest = []string{"none"}
			}
			out = append(out, rest)
		}
	case "number":
		f, _ := from.(float64)
		seen := map[float64]bool{f: true}
		for _, t := range q.thresholds[id] {
			for _, c := range []float64{t - 1, t} {
				if seen[c] || (it.Min != nil && c < *it.Min) || (it.Max != nil && c > *it.Max) {
					continue
				}
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// show writes an answer value for a change's text.
func show(v any) string {
	switch x := v.(type) {
	case []string:
		return "[" + strings.Join(x, ", ") + "]"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

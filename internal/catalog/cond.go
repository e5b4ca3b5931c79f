package catalog

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Cond is a condition on screening answers, used for "show this question
// only if", for scoring rules and for requirements that apply only to some
// purchases. It is written as a small YAML mapping; exactly one form:
//
//	{q: ai_system, is: "yes"}           answer equals a value (yes/no or option id)
//	{q: automation, in: [decides, recommends]}  answer is one of (or, for multiple choice, includes one of)
//	{q: data_categories, has: special}  multiple-choice answer includes the option
//	{q: people_count, gte: 10000}       number at least (lte: at most)
//	{q: purpose, answered: true}        question answered (or not)
//	{all: [...]}  {any: [...]}  {not: {...}}  {atleast: 2, of: [...]}
type Cond struct {
	Q    string   // question id for the leaf forms
	Op   string   // is, in, has, gte, lte, answered; or all, any, not, atleast
	Str  string   // value of is and has
	List []string // value of in
	Num  float64  // value of gte and lte
	Bool bool     // value of answered
	N    int      // the number of atleast
	Subs []*Cond  // operands of all, any, not (one), atleast
	Line int      // where the condition starts in its file
}

var leafOps = []string{"is", "in", "has", "gte", "lte", "answered"}
var groupOps = []string{"all", "any", "not", "atleast"}

// UnmarshalYAML decodes one condition, refusing unknown keys and mixed forms
// so a typo never turns into a condition that is silently always false.
func (c *Cond) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a condition is a mapping such as {q: question_id, is: \"yes\"}", n.Line)
	}
	c.Line = n.Line
	keys := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i].Value
		if _, dup := keys[k]; dup {
			return fmt.Errorf("line %d: condition key %q given twice", n.Content[i].Line, k)
		}
		keys[k] = n.Content[i+1]
	}
	var ops []string
	for k := range keys {
		switch {
		case k == "q" || k == "of":
		case contains(leafOps, k) || contains(groupOps, k):
			ops = append(ops, k)
		default:
			return fmt.Errorf("line %d: unknown condition key %q (use q with one of %s, or one of %s)",
				n.Line, k, strings.Join(leafOps, ", "), strings.Join(groupOps, ", "))
		}
	}
	if len(ops) != 1 {
		return fmt.Errorf("line %d: a condition needs exactly one operator, found %d", n.Line, len(ops))
	}
	c.Op = ops[0]
	v := keys[c.Op]
	if contains(leafOps, c.Op) {
		q, ok := keys["q"]
		if !ok || q.Kind != yaml.ScalarNode || q.Value == "" {
			return fmt.Errorf("line %d: condition %q needs q: the id of a question", n.Line, c.Op)
		}
		if _, ok := keys["of"]; ok {
			return fmt.Errorf("line %d: of belongs only to atleast", n.Line)
		}
		c.Q = q.Value
		return c.decodeLeaf(v)
	}
	if _, ok := keys["q"]; ok {
		return fmt.Errorf("line %d: q does not go with %s", n.Line, c.Op)
	}
	return c.decodeGroup(v, keys["of"])
}

func (c *Cond) decodeLeaf(v *yaml.Node) error {
	switch c.Op {
	case "is", "has":
		if v.Kind != yaml.ScalarNode || v.Value == "" {
			return fmt.Errorf("line %d: %s takes one value", v.Line, c.Op)
		}
		c.Str = v.Value
	case "in":
		if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
			return fmt.Errorf("line %d: in takes a list of values", v.Line)
		}
		for _, e := range v.Content {
			if e.Kind != yaml.ScalarNode || e.Value == "" {
				return fmt.Errorf("line %d: in takes a list of plain values", e.Line)
			}
			c.List = append(c.List, e.Value)
		}
	case "gte", "lte":
		f, err := strconv.ParseFloat(v.Value, 64)
		if v.Kind != yaml.ScalarNode || err != nil {
			return fmt.Errorf("line %d: %s takes a number", v.Line, c.Op)
		}
		c.Num = f
	case "answered":
		if v.Kind != yaml.ScalarNode || (v.Value != "true" && v.Value != "false") {
			return fmt.Errorf("line %d: answered takes true or false", v.Line)
		}
		c.Bool = v.Value == "true"
	}
	return nil
}

func (c *Cond) decodeGroup(v, of *yaml.Node) error {
	switch c.Op {
	case "not":
		if of != nil {
			return fmt.Errorf("line %d: of belongs only to atleast", of.Line)
		}
		sub, err := decodeSub(v)
		if err != nil {
			return err
		}
		c.Subs = []*Cond{sub}
		return nil
	case "atleast":
		n, err := strconv.Atoi(v.Value)
		if v.Kind != yaml.ScalarNode || err != nil || n < 1 {
			return fmt.Errorf("line %d: atleast takes a whole number of 1 or more", v.Line)
		}
		if of == nil {
			return fmt.Errorf("line %d: atleast needs of: a list of conditions", v.Line)
		}
		c.N = n
		v = of
	default:
		if of != nil {
			return fmt.Errorf("line %d: of belongs only to atleast", of.Line)
		}
	}
	if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		return fmt.Errorf("line %d: %s takes a list of conditions", v.Line, c.Op)
	}
	for _, e := range v.Content {
		sub, err := decodeSub(e)
		if err != nil {
			return err
		}
		c.Subs = append(c.Subs, sub)
	}
	if c.Op == "atleast" && c.N > len(c.Subs) {
		return fmt.Errorf("line %d: atleast %d of only %d conditions can never hold", c.Line, c.N, len(c.Subs))
	}
	return nil
}

// decodeSub decodes an operand; an empty or null operand is an error, not
// a condition that silently never holds.
func decodeSub(n *yaml.Node) (*Cond, error) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: each operand is a condition such as {q: question_id, is: \"yes\"}", n.Line)
	}
	sub := &Cond{}
	if err := n.Decode(sub); err != nil {
		return nil, err
	}
	return sub, nil
}

// Questions lists the question ids the condition reads, in order, once each.
func (c *Cond) Questions() []string {
	var out []string
	var walk func(*Cond)
	walk = func(x *Cond) {
		if x == nil {
			return
		}
		if x.Q != "" && !contains(out, x.Q) {
			out = append(out, x.Q)
		}
		for _, s := range x.Subs {
			walk(s)
		}
	}
	walk(c)
	return out
}

// MarshalJSON writes the condition in the same shape as the YAML form, so
// the questionnaire can be served to a browser or another tool.
func (c *Cond) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	switch c.Op {
	case "is", "has":
		m["q"], m[c.Op] = c.Q, c.Str
	case "in":
		m["q"], m[c.Op] = c.Q, c.List
	case "gte", "lte":
		m["q"], m[c.Op] = c.Q, c.Num
	case "answered":
		m["q"], m[c.Op] = c.Q, c.Bool
	case "not":
		m["not"] = c.Subs[0]
	case "atleast":
		m["atleast"], m["of"] = c.N, c.Subs
	default:
		m[c.Op] = c.Subs
	}
	return json.Marshal(m)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

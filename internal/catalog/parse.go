package catalog

import (
	"errors"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// File is one catalogue file as written: a header and its items.
type File struct {
	Name      string            // path shown in problems
	Catalog   string            // id of the catalogue the file defines or extends
	Version   string            // version of this file's content, e.g. 1.2.0
	Title     Text              // title of the catalogue
	Text      Text              // what the catalogue is for
	Languages map[string]string // language -> "full" or "titles": what the file provides
	Kind      string            // default kind of its items
	Items     []*Item
	line      map[string]int
}

// Language coverage a file may declare.
const (
	CoverFull   = "full"   // every text of every item
	CoverTitles = "titles" // titles and option labels only
)

var headerKeys = []string{"catalog", "version", "title", "text", "languages", "kind", "items"}

// parseFile reads one file into its items, keeping the line of every item
// and field. Problems are collected, not returned at the first, so one lint
// run shows everything wrong in the file.
func parseFile(name string, data []byte, c *collector) *File {
	f := &File{Name: name, line: map[string]int{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := splitYAMLError(err)
		c.add(name, line, "%s", msg)
		return nil
	}
	if len(doc.Content) == 0 {
		c.add(name, 1, "file is empty")
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		c.add(name, root.Line, "a catalogue file is a mapping with catalog, version, languages and items")
		return nil
	}
	var itemsNode *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if _, dup := f.line[k.Value]; dup {
			c.add(name, k.Line, "%s given twice", k.Value)
			continue
		}
		f.line[k.Value] = k.Line
		var err error
		switch k.Value {
		case "catalog":
			err = v.Decode(&f.Catalog)
		case "version":
			err = v.Decode(&f.Version)
		case "title":
			err = v.Decode(&f.Title)
		case "text":
			err = v.Decode(&f.Text)
		case "languages":
			err = v.Decode(&f.Languages)
		case "kind":
			err = v.Decode(&f.Kind)
		case "items":
			itemsNode = v
		default:
			c.add(name, k.Line, "unknown field %q (a file has %s)", k.Value, strings.Join(headerKeys, ", "))
		}
		if err != nil {
			line, msg := splitYAMLError(err)
			if line == 0 {
				line = k.Line
			}
			c.add(name, line, "%s: %s", k.Value, msg)
		}
	}
	if itemsNode == nil {
		c.add(name, root.Line, "no items")
		return f
	}
	if itemsNode.Kind != yaml.SequenceNode {
		c.add(name, itemsNode.Line, "items must be a list")
		return f
	}
	for _, n := range itemsNode.Content {
		if it := parseItem(name, n, c); it != nil {
			if it.Kind == "" {
				it.Kind = f.Kind
			}
			f.Items = append(f.Items, it)
		}
	}
	return f
}

func parseItem(file string, n *yaml.Node, c *collector) *Item {
	if n.Kind != yaml.MappingNode {
		c.add(file, n.Line, "an item is a mapping with at least id, title and refs")
		return nil
	}
	it := &Item{File: file, Line: n.Line, lines: map[string]int{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if _, dup := it.lines[k.Value]; dup {
			c.add(file, k.Line, "field %q given twice", k.Value)
		}
		it.lines[k.Value] = k.Line
		if !itemKeys[k.Value] {
			c.add(file, k.Line, "unknown field %q", k.Value)
		}
		if k.Value == "options" {
			checkOptionKeys(file, n.Content[i+1], c)
		}
	}
	if err := n.Decode(it); err != nil {
		line, msg := splitYAMLError(err)
		if line == 0 {
			line = n.Line
		}
		c.add(file, line, "%s", msg)
		return nil
	}
	if on := mapValue(n, "options"); on != nil && on.Kind == yaml.SequenceNode {
		for i := range it.Options {
			if i < len(on.Content) {
				it.Options[i].line = on.Content[i].Line
			}
		}
	}
	return it
}

func checkOptionKeys(file string, n *yaml.Node, c *collector) {
	if n.Kind != yaml.SequenceNode {
		return
	}
	for _, o := range n.Content {
		if o.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(o.Content); i += 2 {
			if k := o.Content[i]; k.Value != "id" && k.Value != "label" && k.Value != "help" {
				c.add(file, k.Line, "unknown option field %q (an option has id, label, help)", k.Value)
			}
		}
	}
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// itemKeys are the field names an item may have, taken from the struct tags
// so the list cannot drift from the type.
var itemKeys = func() map[string]bool {
	m := map[string]bool{}
	t := reflect.TypeOf(Item{})
	for i := 0; i < t.NumField(); i++ {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); tag != "" && tag != "-" {
			m[tag] = true
		}
	}
	return m
}()

var lineRE = regexp.MustCompile(`line (\d+): (.*)`)

// splitYAMLError pulls the line number out of a yaml.v3 error or one of our
// decoders' errors, so it can be reported as file:line.
func splitYAMLError(err error) (int, string) {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, strings.TrimPrefix(m[2], "yaml: ")
	}
	return 0, strings.TrimPrefix(msg, "yaml: ")
}

package monitoring

// Terms are what a catalogue indicator fixes: the unit it is measured in,
// which way is better, and whether it is measured for each group of
// people. They are its meaning: an error rate where higher is better, or
// a rate by group that is not broken down by group, would open tasks for
// good results and let bad ones pass.
type Terms struct {
	Unit      string
	Direction string
	ByGroup   bool
}

// Keep gives i the catalogue's terms. A body may break an indicator down
// by group when the catalogue does not, never the other way round.
func (i *Indicator) Keep(t Terms) {
	i.Unit, i.Direction = t.Unit, t.Direction
	i.ByGroup = i.ByGroup || t.ByGroup
}

// Departs reports whether i was saved with other terms than the
// catalogue's (by an older version that let a form's defaults win).
func (i *Indicator) Departs(t Terms) bool {
	return i.Unit != t.Unit || i.Direction != t.Direction || (t.ByGroup && !i.ByGroup)
}

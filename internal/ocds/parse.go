package ocds

// The functions in this file map JSON members onto Release fields. Each one
// consumes exactly one value; unknown members are validated and skipped.

// top is what the top level of one JSON object turned out to be. A line of
// JSON Lines may hold a release, a record, a release package or a record
// package; one pass over the object finds out which and, for a release,
// fills the Release at the same time.
type top struct {
	rel        Release
	hasOCID    bool
	releases   []span // elements of "releases" (a package or a record)
	records    []span // elements of "records" (a record package)
	compiled   span   // "compiledRelease" of a record
	hasCompile bool
	isPackage  bool // "releases" or "records" was present
}

// span is a value's byte range inside the scanned buffer.
type span struct{ start, end int }

func (s *scanner) spans() []span {
	var out []span
	s.list(func(s *scanner, i int) {
		s.ws()
		st := s.i
		s.skip()
		out = append(out, span{st, s.i})
	})
	return out
}

func (s *scanner) top(t *top) {
	if c := s.next(); c != '{' {
		s.fail(s.i, "expected a JSON object (a release, record or package), found %s", s.excerpt())
	}
	r := &t.rel
	s.object(func(s *scanner, k []byte) {
		switch string(k) {
		case "ocid":
			if s.next() != '"' {
				s.typeErr("a string")
				return
			}
			r.OCID = s.str()
			t.hasOCID = true
		case "id":
			r.ID = s.code()
		case "date":
			r.Date = s.loose()
		case "language":
			r.Language = s.loose()
		case "buyer":
			r.Buyer = s.name()
		case "tag":
			r.Tag = s.tags()
		case "planning":
			s.planning(&r.Planning)
		case "tender":
			var td Tender
			if s.tender(&td) {
				r.Tender = &td
			}
		case "awards":
			s.looseObjects(func(i int) func(*scanner, []byte) {
				r.Awards = append(r.Awards, Award{Index: i})
				return r.Awards[len(r.Awards)-1].member
			})
		case "contracts":
			s.looseObjects(func(i int) func(*scanner, []byte) {
				r.Contracts = append(r.Contracts, Contract{Index: i})
				return r.Contracts[len(r.Contracts)-1].member
			})
		case "releases":
			t.isPackage = true
			t.releases = s.spans()
		case "records":
			t.isPackage = true
			t.records = s.spans()
		case "compiledRelease":
			s.ws()
			st := s.i
			s.skip()
			t.compiled, t.hasCompile = span{st, s.i}, true
		default:
			s.skip()
		}
	})
}

// tags accepts the codelist array and, leniently, a single string (31 of
// the shared releases write "tag": "tender").
func (s *scanner) tags() []string {
	switch s.next() {
	case '"':
		return []string{s.str()}
	case '[':
		var out []string
		s.array(func(s *scanner, i int) {
			if t := s.loose(); t != "" {
				out = append(out, t)
			}
		})
		return out
	case 'n':
		s.literal("null")
		return nil
	}
	s.typeWarn("an array of strings", "ignored", true)
	return nil
}

// planning reads planning.budget.description and planning.documents. Some
// publishers (Armenia) write planning as an array of their own design; it
// carries nothing screening reads, so it is skipped rather than rejected.
func (s *scanner) planning(p *Planning) {
	if s.next() != '{' {
		s.skip()
		return
	}
	s.object(func(s *scanner, k []byte) {
		switch string(k) {
		case "budget":
			s.looseObj(func(s *scanner, k []byte) {
				if string(k) == "description" {
					p.BudgetDescription = s.loose()
					return
				}
				s.skip()
			})
		case "documents":
			p.Documents = s.documents()
		default:
			s.skip()
		}
	})
}

func (s *scanner) tender(t *Tender) bool {
	t.NumberOfTenderers, t.Tenderers = -1, -1
	return s.obj(func(s *scanner, k []byte) {
		switch string(k) {
		case "title":
			t.Title = s.text()
		case "description":
			t.Description = s.text()
		case "procurementMethod":
			t.ProcurementMethod = s.text()
		case "procurementMethodDetails":
			t.ProcurementMethodDetails = s.loose()
		case "procurementMethodRationale":
			t.ProcurementMethodRationale = s.loose()
		case "numberOfTenderers":
			if v, ok := s.num(); ok {
				t.NumberOfTenderers = int(v)
			}
		case "tenderers":
			t.Tenderers = s.count()
		case "items":
			t.Items = s.items()
		case "lots":
			t.Lots = s.lots()
		case "documents":
			t.Documents = s.documents()
		case "value":
			s.value(&t.Value)
		case "contractPeriod":
			s.period(&t.ContractPeriod)
		case "tenderPeriod":
			s.period(&t.TenderPeriod)
		case "status":
			t.Status = s.loose()
		case "procuringEntity":
			t.ProcuringEntity = s.name()
		default:
			s.skip()
		}
	})
}

// count returns the length of an array field, -1 when absent. A single
// object is counted as one: Canadian contracts write suppliers that way.
func (s *scanner) count() int {
	switch s.next() {
	case '[':
		n := 0
		s.array(func(s *scanner, i int) {
			if !s.isNull() {
				s.skip()
				n++
			}
		})
		return n
	case '{':
		s.skip()
		return 1
	case 'n':
		s.literal("null")
		return -1
	}
	s.typeWarn("an array", "ignored", true)
	return -1
}

func (s *scanner) items() []LineItem {
	var out []LineItem
	s.objects(func(i int) func(*scanner, []byte) {
		out = append(out, LineItem{Index: i})
		it := &out[len(out)-1]
		return func(s *scanner, k []byte) {
			switch string(k) {
			case "description":
				it.Description = s.text()
			case "classification":
				s.classification(&it.Classification)
			case "additionalClassifications":
				s.looseObjects(func(i int) func(*scanner, []byte) {
					it.Additional = append(it.Additional, Classification{Index: i})
					c := &it.Additional[len(it.Additional)-1]
					return c.member
				})
			default:
				s.skip()
			}
		}
	})
	return out
}

// lots reads the title and description of tender.lots (the OCDS lots
// extension): eForms notices put most of their text there.
func (s *scanner) lots() []Lot {
	var out []Lot
	s.looseObjects(func(i int) func(*scanner, []byte) {
		out = append(out, Lot{Index: i})
		l := &out[len(out)-1]
		return func(s *scanner, k []byte) {
			switch string(k) {
			case "title":
				l.Title = s.loose()
			case "description":
				l.Description = s.loose()
			default:
				s.skip()
			}
		}
	})
	return out
}

// name reads the name of an organisation reference ({"name": ..., "id":
// ...}). Anything else is skipped without a warning: screening never read
// these fields, so they must not add warnings to data that had none.
func (s *scanner) name() string {
	if s.next() != '{' {
		s.skip()
		return ""
	}
	var n string
	s.object(func(s *scanner, k []byte) {
		if string(k) == "name" && s.next() == '"' {
			n = s.str()
			return
		}
		s.skip()
	})
	return n
}

// suppliers counts suppliers[] as count does and keeps their names.
func (s *scanner) suppliers(a *Award) {
	switch s.next() {
	case '[':
		n := 0
		s.array(func(s *scanner, i int) {
			if s.isNull() {
				return
			}
			n++
			if name := s.name(); name != "" {
				a.SupplierNames = append(a.SupplierNames, name)
			}
		})
		a.Suppliers = n
	case '{':
		a.Suppliers = 1
		if name := s.name(); name != "" {
			a.SupplierNames = append(a.SupplierNames, name)
		}
	default:
		a.Suppliers = s.count()
	}
}

func (s *scanner) classification(c *Classification) {
	s.obj(c.member)
}

func (c *Classification) member(s *scanner, k []byte) {
	switch string(k) {
	case "scheme", "schema":
		// Paraguay's contract items spell it "schema"; nothing else
		// could be meant.
		c.Scheme = s.text()
	case "id":
		c.ID = s.code()
	case "description":
		c.Description = s.text()
	default:
		s.skip()
	}
}

func (s *scanner) documents() []Document {
	var out []Document
	s.looseObjects(func(i int) func(*scanner, []byte) {
		out = append(out, Document{Index: i})
		d := &out[len(out)-1]
		return func(s *scanner, k []byte) {
			switch string(k) {
			case "documentType":
				d.DocumentType = s.loose()
			case "title":
				d.Title = s.loose()
			case "description":
				d.Description = s.loose()
			default:
				s.skip()
			}
		}
	})
	return out
}

func (s *scanner) value(v *Value) {
	s.looseObj(func(s *scanner, k []byte) {
		switch string(k) {
		case "amount":
			v.Amount, v.Set = s.num()
		case "currency":
			v.Currency = s.loose()
		default:
			s.skip()
		}
	})
}

func (s *scanner) period(p *Period) {
	s.looseObj(func(s *scanner, k []byte) {
		switch string(k) {
		case "startDate":
			p.StartDate = s.loose()
		case "endDate":
			p.EndDate = s.loose()
		case "maxExtentDate":
			p.MaxExtentDate = s.loose()
		default:
			s.skip()
		}
	})
}

func (a *Award) member(s *scanner, k []byte) {
	switch string(k) {
	case "id":
		a.ID = s.code()
	case "title":
		a.Title = s.loose()
	case "description":
		a.Description = s.loose()
	case "value":
		s.value(&a.Value)
	case "items":
		a.Items = s.items()
	case "suppliers":
		s.suppliers(a)
	case "documents":
		a.Documents = s.documents()
	case "contractPeriod":
		s.period(&a.ContractPeriod)
	case "date":
		a.Date = s.loose()
	case "status":
		a.Status = s.loose()
	default:
		s.skip()
	}
}

func (c *Contract) member(s *scanner, k []byte) {
	switch string(k) {
	case "id":
		c.ID = s.code()
	case "awardID":
		c.AwardID = s.code()
	case "title":
		c.Title = s.loose()
	case "description":
		c.Description = s.loose()
	case "value":
		s.value(&c.Value)
	case "period":
		s.period(&c.Period)
	case "status":
		c.Status = s.loose()
	case "dateSigned":
		c.DateSigned = s.loose()
	case "items":
		c.Items = s.items()
	case "documents":
		c.Documents = s.documents()
	case "amendments":
		if n := s.count(); n > 0 {
			c.Amendments += n
		}
	case "amendment":
		// OCDS 1.0 had a single amendment object; Moldova still sends
		// {"changes": []}, which records no change, so only a non-empty
		// object counts.
		s.looseObj(func(s *scanner, k []byte) {
			switch string(k) {
			case "changes":
				if n := s.count(); n > 0 {
					c.Amendments++
				}
			case "date", "rationale", "description":
				if s.loose() != "" {
					c.Amendments = max(c.Amendments, 1)
				}
			default:
				s.skip()
			}
		})
	default:
		s.skip()
	}
}

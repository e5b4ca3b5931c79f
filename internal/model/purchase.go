package model

import (
	"regexp"
	"strings"
	"time"
)

// Sector is the public service a purchase serves.
type Sector string

var Sectors = []Sector{
	"social_protection", "health", "education", "justice", "policing", "migration",
	"city_services", "identity", "tax", "employment", "housing", "other",
}

// Technology is a kind of technology bought. Goods and services cover
// purchases outside digital technology (laptops' supply chains, private
// security), which carry labour and user risks of their own.
type Technology string

var Technologies = []Technology{
	"automated_decisions", "biometrics", "surveillance", "data_platform",
	"digital_identity", "apps", "hardware", "goods", "services",
}

// Funding is where the money comes from; international financial
// institutions bring safeguard policies of their own.
type Funding string

var Fundings = []Funding{"own_budget", "national", "eu_funds", "ifi", "donor", "other"}

// Purchase is one public purchase or partnership, from the first idea to exit.
type Purchase struct {
	ID               int64
	OrgID            int64
	Title            string
	Kind             RelationshipKind // purchase, licence, partnership, data-sharing agreement or donation
	Need             string           // the public need the purchase answers
	Purpose          string           // what the technology will do
	Sector           Sector
	Technologies     []Technology
	AffectedPeople   string // who the service and the system reach
	VulnerableGroups string // groups among them in vulnerable situations
	LegalBasis       string
	ValueMinor       int64  // estimated value in minor units (cents)
	Currency         string // ISO 4217, e.g. EUR
	Funding          Funding
	Funder           string // name of the funder when not own budget
	OCID             string // OCDS contracting process id, if published
	Emergency        bool   // an exceptional measure, which needs a sunset date
	TenderDate       Date
	AwardDate        Date
	ContractStart    Date
	ContractEnd      Date
	ReviewDate       Date
	SunsetDate       Date
	LeadUserID       int64
	Stage            Stage
	Version          int64 // optimistic lock: edits based on an old version are refused
	CreatedAt        time.Time
	UpdatedAt        time.Time

	// Source is where the record came from: "" when registered in
	// buyright, "ocds" when imported from open contracting data, in which
	// case it may sit at a late stage without ever having been screened.
	Source string

	OrgName  string // filled by list and get queries
	LeadName string
}

// Imported reports whether the purchase came from open contracting data.
func (p *Purchase) Imported() bool { return p.Source == "ocds" }

var (
	currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)
	// Publishers do not all follow the ocds-<prefix>-<id> form, and the
	// ocid is the key that joins their data: accept any printable id.
	ocidRE = regexp.MustCompile(`^[^\s\x00-\x1f\x7f]{3,300}$`)
)

// Validate checks and normalises a purchase before it is saved. It reports
// every problem at once, keyed by field name, so a form can show them all.
func (p *Purchase) Validate() error {
	fe := FieldErrors{}
	p.Title = CleanLine(p.Title)
	p.Need = CleanText(p.Need)
	p.Purpose = CleanText(p.Purpose)
	p.AffectedPeople = CleanText(p.AffectedPeople)
	p.VulnerableGroups = CleanText(p.VulnerableGroups)
	p.LegalBasis = CleanText(p.LegalBasis)
	p.Funder = CleanLine(p.Funder)
	p.OCID = strings.TrimSpace(p.OCID)
	p.Currency = strings.ToUpper(strings.TrimSpace(p.Currency))

	switch {
	case p.Title == "":
		fe.Add("title", "invalid.required")
	case TooLong(p.Title, 300):
		fe.Add("title", "invalid.too_long")
	}
	for name, v := range map[string]string{"need": p.Need, "purpose": p.Purpose, "affected_people": p.AffectedPeople, "vulnerable_groups": p.VulnerableGroups, "legal_basis": p.LegalBasis} {
		if TooLong(v, 20000) {
			fe.Add(name, "invalid.too_long")
		}
	}
	p.Kind = p.Kind.Or()
	if !p.Kind.Valid() {
		fe.Add("relationship_kind", "invalid.choice")
	}
	if !oneOf(p.Sector, Sectors) {
		fe.Add("sector", "invalid.choice")
	}
	seen := map[Technology]bool{}
	for _, t := range p.Technologies {
		if !oneOf(t, Technologies) || seen[t] {
			fe.Add("technologies", "invalid.choice")
		}
		seen[t] = true
	}
	if p.ValueMinor < 0 {
		fe.Add("value", "invalid.not_negative")
	}
	if p.ValueMinor > 0 && !currencyRE.MatchString(p.Currency) {
		fe.Add("currency", "invalid.currency")
	}
	if p.Currency != "" && !currencyRE.MatchString(p.Currency) {
		fe.Add("currency", "invalid.currency")
	}
	if p.Funding != "" && !oneOf(p.Funding, Fundings) {
		fe.Add("funding", "invalid.choice")
	}
	if TooLong(p.Funder, 200) {
		fe.Add("funder", "invalid.too_long")
	}
	if p.OCID != "" && !ocidRE.MatchString(p.OCID) {
		fe.Add("ocid", "invalid.ocid")
	}
	if !p.ContractStart.IsZero() && !p.ContractEnd.IsZero() && p.ContractEnd.Before(p.ContractStart) {
		fe.Add("contract_end", "invalid.end_before_start")
	}
	if p.Stage == "" {
		p.Stage = StagePlanning
	}
	if !p.Stage.Valid() {
		fe.Add("stage", "invalid.choice")
	}
	return fe.Err()
}

// Has reports whether the purchase buys technology t.
func (p *Purchase) Has(t Technology) bool {
	for _, x := range p.Technologies {
		if x == t {
			return true
		}
	}
	return false
}

func oneOf[T comparable](v T, set []T) bool {
	for _, x := range set {
		if x == v {
			return true
		}
	}
	return false
}

package ocds

import "strings"

// Release holds the fields of an OCDS release that screening reads, and
// nothing else; the raw JSON travels next to it in Item.Raw for anyone who
// needs more. Slices keep the position each element had in its JSON array
// (Index), so a red flag can name its exact JSON path.
type Release struct {
	OCID     string
	ID       string
	Date     string
	Tag      []string
	Language string
	// Buyer is buyer.name (BuyerName falls back on the procuring
	// entity), read for `screen --format csv`, not for screening.
	Buyer string

	Planning  Planning
	Tender    *Tender // nil when the release has no tender object
	Awards    []Award
	Contracts []Contract
}

type Planning struct {
	BudgetDescription string
	Documents         []Document
}

type Tender struct {
	Title                      string
	Description                string
	ProcurementMethod          string
	ProcurementMethodDetails   string
	ProcurementMethodRationale string
	// NumberOfTenderers is -1 when the field is absent.
	NumberOfTenderers int
	// Tenderers is the length of tender.tenderers, -1 when absent.
	Tenderers      int
	Items          []LineItem
	Lots           []Lot
	Documents      []Document
	Value          Value
	ContractPeriod Period
	// ProcuringEntity is tender.procuringEntity.name.
	ProcuringEntity string
	// Status and TenderPeriod are read for import (tender.status,
	// tender.tenderPeriod); screening does not use them.
	Status       string
	TenderPeriod Period
}

type LineItem struct {
	Index          int
	Description    string
	Classification Classification
	Additional     []Classification
}

// Lot is one element of tender.lots, read for its text.
type Lot struct {
	Index       int
	Title       string
	Description string
}

type Classification struct {
	Index       int // position in additionalClassifications; 0 for the main one
	Scheme      string
	ID          string
	Description string
}

type Document struct {
	Index        int
	DocumentType string
	Title        string
	Description  string
}

type Value struct {
	Amount   float64
	Currency string
	Set      bool // Amount was present and a number
}

type Period struct {
	StartDate     string
	EndDate       string
	MaxExtentDate string
}

type Award struct {
	Index       int
	ID          string
	Title       string
	Description string
	Value       Value
	Items       []LineItem
	Suppliers   int
	// SupplierNames are the names in suppliers[], in order, without
	// blanks; Suppliers still counts the entries with or without a name.
	SupplierNames  []string
	Documents      []Document
	ContractPeriod Period
	Date           string // award.date, read for import
	Status         string // award.status, read for import
}

type Contract struct {
	Index       int
	ID          string
	AwardID     string
	Title       string
	Description string
	Value       Value
	Period      Period
	Items       []LineItem
	Documents   []Document
	Status      string // contract.status, read for import
	DateSigned  string // contract.dateSigned, read for import
	// Amendments counts entries in amendments[] plus a non-empty OCDS 1.0
	// amendment object.
	Amendments int
}

// BuyerName is buyer.name, else tender.procuringEntity.name, trimmed.
func (r *Release) BuyerName() string {
	if b := strings.TrimSpace(r.Buyer); b != "" {
		return b
	}
	if r.Tender != nil {
		return strings.TrimSpace(r.Tender.ProcuringEntity)
	}
	return ""
}

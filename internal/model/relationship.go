package model

// RelationshipKind is what a purchase record stands for between the public
// body and a company. Most are purchases; the State also licenses
// operators, forms partnerships in which both sides come to depend on each
// other, signs data-sharing agreements, and accepts donations, free pilots
// and trials (a known way around procurement rules). Each goes through the
// same screening, gates, register and oversight as a purchase, with the
// terms its kind needs.
type RelationshipKind string

const (
	KindPurchase    RelationshipKind = "purchase"
	KindLicence     RelationshipKind = "licence"      // a licence or concession the State grants the company
	KindPartnership RelationshipKind = "partnership"  // a partnership or PPP
	KindDataSharing RelationshipKind = "data_sharing" // a data-sharing agreement
	KindDonation    RelationshipKind = "donation"     // a donation, free pilot or trial
)

// RelationshipKinds lists every kind, the default first.
var RelationshipKinds = []RelationshipKind{KindPurchase, KindLicence, KindPartnership, KindDataSharing, KindDonation}

// Valid reports whether k is a known kind.
func (k RelationshipKind) Valid() bool { return oneOf(k, RelationshipKinds) }

// Or returns k, or the default kind (a purchase) when k is empty: records
// made before kinds existed are purchases.
func (k RelationshipKind) Or() RelationshipKind {
	if k == "" {
		return KindPurchase
	}
	return k
}

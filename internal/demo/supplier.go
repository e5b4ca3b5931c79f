package demo

import (
	"context"

	"buyright/internal/catalog"
	"buyright/internal/supplierdd"

	"buyright/internal/model"
	"buyright/internal/store"
)

// seedSupplierDD has the supplier invited to the welfare purchase answer
// its due-diligence questionnaire twice (the second time after the
// council's questions), with a review of the first version.
func seedSupplierDD(ctx context.Context, db *store.DB, people map[string]*model.User) error {
	chen, ana := people["chen@civitas.example"], people["ana@portavera.example"]
	p, err := findPurchase(ctx, db, ana, welfareTitle)
	if err != nil {
		return err
	}
	first := map[string]string{
		"policy":            "Our human-rights policy was approved by the board in 2024 and is published on our website; a compliance officer reports to the board twice a year.",
		"impact":            "We tested the model for error rates by age and nationality on historical data. Error rates for applicants with non-Portuguese names were higher; we have not yet corrected this.",
		"data":              "Application and income data are processed in our data centre in the Netherlands, under the council's instructions, and deleted 90 days after each check.",
		"legal_basis":       "The council told us the Municipal Social Assistance Regulation, art. 14, allows the checks. We have not seen a legal opinion on combining other registers.",
		"breaching_request": "We would refuse a request to use the scores for purposes other than ordering checks, and tell the council's data protection officer.",
	}
	set, err := catalog.Load("")
	if err != nil {
		return err
	}
	q := supplierdd.FromCatalog(set)
	if _, err := db.SubmitSupplierAnswers(ctx, store.ActorOf(chen), p, chen.OrgID, q, first); err != nil {
		return err
	}
	if err := db.ReviewSupplierAnswers(ctx, store.ActorOf(ana), p, chen.OrgID, 1, q, map[string]string{"policy": "adequate", "impact": "inadequate", "data": "partial"},
		"Thank you. Please say how and when you will correct the higher error rate for applicants with non-Portuguese names, and list your sub-processors."); err != nil {
		return err
	}
	second := map[string]string{}
	for k, v := range first {
		second[k] = v
	}
	second["impact"] = "We tested the model for error rates by age and nationality on historical data. Error rates for applicants with non-Portuguese names were higher; we removed the name-derived features and will report error rates by group every month."
	second["subprocessors"] = "Hosting: a cloud provider's data centre in the Netherlands. No other sub-processor has access to personal data."
	_, err = db.SubmitSupplierAnswers(ctx, store.ActorOf(chen), p, chen.OrgID, q, second)
	return err
}

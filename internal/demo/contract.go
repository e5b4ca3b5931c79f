package demo

import (
	"context"
	"fmt"

	"buyright/internal/contract"
	"buyright/internal/model"
	"buyright/internal/store"
	"buyright/internal/tender"
)

// portalTitle is the level III purchase a newcomer follows from the tender
// pack to the exit.
const portalTitle = "Online portal for housing-benefit applications"

// findPurchase returns the demo purchase with this title that u can see.
func findPurchase(ctx context.Context, db *store.DB, u *model.User, title string) (*model.Purchase, error) {
	list, err := db.Purchases(ctx, u, store.PurchaseFilter{Query: title})
	if err != nil {
		return nil, err
	}
	for _, x := range list.Items {
		if x.Title == title {
			return x, nil
		}
	}
	return nil, fmt.Errorf("demo: purchase %q not found", title)
}

// acceptProposals has lead accept every item the tender pack proposes for
// the purchase, as an officer who agrees with the whole proposal would.
func acceptProposals(lead string) func(e *env, p *model.Purchase) error {
	return func(e *env, p *model.Purchase) error {
		sc, err := e.db.Screening(e.ctx, p.ID)
		if err != nil || sc == nil {
			return fmt.Errorf("tender pack: no screening (%v)", err)
		}
		answers, err := e.q.Normalize(sc.Answers)
		if err != nil {
			return err
		}
		in := tender.Input{Set: e.set, Answers: answers, Result: sc.Result}
		for _, t := range p.Technologies {
			in.Technology = append(in.Technology, string(t))
		}
		u := e.people[lead]
		for _, pr := range tender.Propose(in) {
			c := tender.Choice{ItemID: pr.Item.ID, Decision: tender.Accepted, CatalogHash: e.set.Hash(), Weight: pr.Weight()}
			if err := e.db.DecideTender(e.ctx, store.ActorOf(u), p, c); err != nil {
				return fmt.Errorf("tender %s: %w", pr.Item.ID, err)
			}
		}
		return nil
	}
}

// signSafeguards records the contract and marks every chosen tender item
// as signed in it.
func signSafeguards(e *env, p *model.Purchase, who string, c *contract.Contract) error {
	u := e.people[who]
	if err := e.db.SaveContract(e.ctx, store.ActorOf(u), p, c, 0); err != nil {
		return err
	}
	choices, err := e.db.TenderChoices(e.ctx, p.ID)
	if err != nil {
		return err
	}
	var sg []contract.Safeguard
	for id, ch := range choices {
		if ch.Chosen() {
			sg = append(sg, contract.Safeguard{ItemID: id, Signed: true})
		}
	}
	if len(sg) == 0 {
		return nil
	}
	return e.db.SaveSafeguards(e.ctx, store.ActorOf(u), p, sg)
}

// gatesContract records the border gates' contract.
func gatesContract(e *env, p *model.Purchase) error {
	d := model.DateOf(e.db.Now()).AddDays
	return e.db.SaveContract(e.ctx, store.ActorOf(e.people["lena@border.example"]), p, &contract.Contract{
		Reference: "BA-2024-ABC-02", Suppliers: []string{"Northwind Biometrics SA"}, ValueMinor: 760000000, Currency: "EUR",
		SignedOn: d(-405), StartsOn: d(-400), EndsOn: d(1400)}, 0)
}

// gatesInUse is the border gates in use: an amendment that widened the
// scope (so the screening must be done again), a review coming up, and
// outcome counts by group where travellers using wheelchairs pass far less
// often than others (flagged under the four-fifths rule).
func gatesInUse(e *env, p *model.Purchase) error {
	lena := store.ActorOf(e.people["lena@border.example"])
	d := model.DateOf(e.db.Now()).AddDays
	if err := e.db.AddAmendment(e.ctx, lena, p, &contract.Amendment{
		MadeOn: d(-20), Summary: "Ten more gates at the new southern terminal, and travellers aged 12 to 17 may use the gates with a guardian.",
		Reason: "The southern terminal opens next spring; the ministry asked to include minors to shorten family queues.", WidensScope: true,
		NewValueMinor: 910000000}); err != nil {
		return err
	}
	if _, err := e.db.ScheduleReview(e.ctx, lena, p, contract.KindReview, d(75)); err != nil {
		return err
	}
	return gatesMonitoring(e, p)
}

// tracingContract records the contact-tracing app's contract.
func tracingContract(e *env, p *model.Purchase) error {
	d := model.DateOf(e.db.Now()).AddDays
	return e.db.SaveContract(e.ctx, store.ActorOf(e.people["joao@health.example"]), p, &contract.Contract{
		Reference: "HA-EMERG-07", Suppliers: []string{"Beacon Apps Lda"}, ValueMinor: 4500000, Currency: "EUR",
		SignedOn: d(-685), StartsOn: d(-680), EndsOn: d(0)}, 0)
}

// tracingExit is the app's sunset: the review held on the sunset day
// decided to exit, and the exit plan is half carried out.
func tracingExit(e *env, p *model.Purchase) error {
	joao := store.ActorOf(e.people["joao@health.example"])
	today := model.DateOf(e.db.Now())
	id, err := e.db.ScheduleReview(e.ctx, joao, p, contract.KindSunset, today)
	if err != nil {
		return err
	}
	if err := e.db.DecideReview(e.ctx, joao, p, &contract.Review{ID: id, HeldOn: today, Outcome: contract.OutcomeExit,
		Findings: "The decree's sunset date has come and case numbers are low. The app is switched off; no successor is planned.",
		Evidence: "Weekly active users fell below 2% of installs; no warnings sent in the last two months."}); err != nil {
		return err
	}
	return e.db.SaveExitPlan(e.ctx, joao, p, &contract.ExitPlan{
		DataReturn: "The supplier returns the anonymised statistics of warnings sent, as CSV, to the agency's epidemiology unit.",
		Deletion:   "The supplier deletes the proximity keys on its servers and its backups and sends a signed deletion certificate; the app's last update deletes the keys on phones.",
		Transition: "The app stores show a notice that the app has ended; the agency's website explains what happened to the data.",
		ReturnedOn: today}, 0)
}

// saveExit records the exit plan agreed in the contract.
func saveExit(e *env, p *model.Purchase, who, dataReturn, deletion, transition string) error {
	return e.db.SaveExitPlan(e.ctx, store.ActorOf(e.people[who]), p, &contract.ExitPlan{DataReturn: dataReturn, Deletion: deletion, Transition: transition}, 0)
}

package demo

import (
	"context"
	"fmt"
	"time"

	"buyright/internal/catalog"
	"buyright/internal/contract"
	"buyright/internal/model"
	"buyright/internal/screening"
	"buyright/internal/store"
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

// seedContract screens the portal purchase (level III, ready for its
// tender pack) and gives the purchases past the award what the contract
// stages record: the learning platform's contract and a review coming up;
// the border gates' contract with an amendment that widened the scope and
// so re-opened the screening; the contact-tracing app's sunset review that
// decided to exit, with an exit plan half carried out.
func seedContract(ctx context.Context, db *store.DB, people map[string]*model.User) error {
	ana, lena, joao := people["ana@portavera.example"], people["lena@border.example"], people["joao@health.example"]
	today := model.DateOf(time.Now())
	d := today.AddDays

	portal, err := findPurchase(ctx, db, ana, portalTitle)
	if err != nil {
		return err
	}
	set, err := catalog.Load("")
	if err != nil {
		return err
	}
	q := screening.New(set)
	answers, err := q.Normalize(map[string]any{
		"digital": "yes", "hardware": "no", "goods": "no", "staff_services": "no", "essential_service": "yes", "access_gate": "yes",
		"offline_alternative": "no", "personal_data": "yes", "data_categories": []any{"financial"}, "people_count": 8000.0,
		"vulnerable_groups": []any{"low_income", "older"}, "vulnerable_reached": "yes", "automation": "none", "profiling": "no",
		"ai_system": "no", "biometric_use": "none", "monitoring_public": "no", "monitoring_individuals": "no", "legal_basis": "specific",
		"data_sharing": []any{"vendor_access"}, "partnership": "no", "procurement_route": "open", "emergency": "no",
	})
	if err != nil {
		return fmt.Errorf("demo portal screening: %w", err)
	}
	if err := db.SaveScreening(ctx, store.ActorOf(ana), portal, answers, q.Score(answers)); err != nil {
		return err
	}

	school, err := findPurchase(ctx, db, ana, "Learning platform for the city's primary schools")
	if err != nil {
		return err
	}
	if err := db.SaveContract(ctx, store.ActorOf(ana), school, &contract.Contract{
		Reference: "PV-EDU-2025-014", Suppliers: []string{"Escola Digital SA"}, ValueMinor: 31000000, Currency: "EUR",
		SignedOn: d(-310), StartsOn: d(-300), EndsOn: d(800)}, 0); err != nil {
		return err
	}
	if _, err := db.ScheduleReview(ctx, store.ActorOf(ana), school, contract.KindReview, d(45)); err != nil {
		return err
	}

	gates, err := findPurchase(ctx, db, lena, "Automated border gates at the international airport")
	if err != nil {
		return err
	}
	if err := db.SaveContract(ctx, store.ActorOf(lena), gates, &contract.Contract{
		Reference: "BA-2024-ABC-02", Suppliers: []string{"Northwind Biometrics SA"}, ValueMinor: 760000000, Currency: "EUR",
		SignedOn: d(-405), StartsOn: d(-400), EndsOn: d(1400)}, 0); err != nil {
		return err
	}
	if err := db.AddAmendment(ctx, store.ActorOf(lena), gates, &contract.Amendment{
		MadeOn: d(-20), Summary: "Ten more gates at the new southern terminal, and travellers aged 12 to 17 may use the gates with a guardian.",
		Reason: "The southern terminal opens next spring; the ministry asked to include minors to shorten family queues.", WidensScope: true,
		NewValueMinor: 910000000}); err != nil {
		return err
	}
	if _, err := db.ScheduleReview(ctx, store.ActorOf(lena), gates, contract.KindReview, d(75)); err != nil {
		return err
	}

	app, err := findPurchase(ctx, db, joao, "Emergency contact-tracing app")
	if err != nil {
		return err
	}
	if err := db.SaveContract(ctx, store.ActorOf(joao), app, &contract.Contract{
		Reference: "HA-EMERG-07", Suppliers: []string{"Beacon Apps Lda"}, ValueMinor: 4500000, Currency: "EUR",
		SignedOn: d(-690), StartsOn: d(-685), EndsOn: d(-5)}, 0); err != nil {
		return err
	}
	id, err := db.ScheduleReview(ctx, store.ActorOf(joao), app, contract.KindSunset, d(-5))
	if err != nil {
		return err
	}
	if err := db.DecideReview(ctx, store.ActorOf(joao), app, &contract.Review{ID: id, HeldOn: d(-5), Outcome: contract.OutcomeExit,
		Findings: "The decree's sunset date has passed and case numbers are low. The app is switched off; no successor is planned.",
		Evidence: "Weekly active users fell below 2% of installs; no warnings sent in the last two months."}); err != nil {
		return err
	}
	return db.SaveExitPlan(ctx, store.ActorOf(joao), app, &contract.ExitPlan{
		DataReturn: "The supplier returns the anonymised statistics of warnings sent, as CSV, to the agency's epidemiology unit.",
		Deletion:   "The supplier deletes the proximity keys on its servers and its backups and sends a signed deletion certificate; the app's last update deletes the keys on phones.",
		Transition: "The app stores show a notice that the app has ended; the agency's website explains what happened to the data.",
		ReturnedOn: d(-2)}, 0)
}

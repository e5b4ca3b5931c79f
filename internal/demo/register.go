package demo

import (
	"context"
	"fmt"

	"buyright/internal/auth"
	"buyright/internal/grievance"
	"buyright/internal/model"
	"buyright/internal/store"
)

// publications are the demo purchases their bodies chose to publish, with
// the plain-language words a resident reads in the register.
var publications = map[string]string{
	"Fraud-risk scoring for housing and income benefits":  "The city plans to use a statistical model to choose which benefit applications staff check first. The model would not decide on anyone's benefit by itself; claimants' and disability organisations are being consulted before the tender.",
	"Learning platform for the city's primary schools":    "One online platform for homework, messages and learning materials in the city's primary schools. It does not grade pupils, and families without a computer can use the school's devices.",
	"Automated border gates at the international airport": "Gates at passport control compare a traveller's face with the photo in their passport. A border guard checks every mismatch, and anyone can ask to see a guard instead.",
	"Emergency contact-tracing app":                       "A voluntary phone app that warned people who had been near a confirmed case during the epidemic. The decree that allowed it has expired and the app is being switched off.",
}

// seedRegister publishes some purchases and files one complaint that the
// city answered and escalated, so the public register, the complaints list
// and the oversight workspace all have something to show.
func seedRegister(ctx context.Context, db *store.DB, people map[string]*model.User, h auth.Hasher) error {
	officer := people["ana@portavera.example"]
	for _, u := range []*model.User{officer, people["lena@border.example"], people["joao@health.example"]} {
		list, err := db.Purchases(ctx, u, store.PurchaseFilter{PerPage: 100})
		if err != nil {
			return err
		}
		for _, p := range list.Items {
			summary, ok := publications[p.Title]
			if !ok {
				continue
			}
			if err := db.Publish(ctx, store.ActorOf(u), p, true, summary); err != nil {
				return fmt.Errorf("publishing %q: %w", p.Title, err)
			}
			if p.Title == "Fraud-risk scoring for housing and income benefits" {
				if err := seedComplaint(ctx, db, officer, p, h); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func seedComplaint(ctx context.Context, db *store.DB, officer *model.User, p *model.Purchase, h auth.Hasher) error {
	code := grievance.NewCode() // thrown away: the demo person "lost" it
	hash, err := h.Hash(code)
	if err != nil {
		return err
	}
	c := &store.Complaint{OrgID: p.OrgID, PurchaseID: p.ID, Lookup: grievance.Lookup(code), CodeHash: hash,
		Body: "My housing benefit was stopped for two months while my file was 'under check'. Nobody told me why or how long it would take, and I had to borrow money for the rent."}
	if err := db.CreateComplaint(ctx, c, nil); err != nil {
		return err
	}
	a := store.ActorOf(officer)
	if err := db.MoveComplaint(ctx, a, c, grievance.Acknowledged, ""); err != nil {
		return err
	}
	c.Status = grievance.Acknowledged
	if err := db.AddComplaintMessage(ctx, a, c, true, officer.Org.Name, "We have received your complaint and restored your payments while we review what happened. We will write again within 30 days."); err != nil {
		return err
	}
	return db.MoveComplaint(ctx, a, c, grievance.Escalated, "")
}

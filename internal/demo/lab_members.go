package demo

import (
	"context"
	"time"

	"buyright/internal/model"
	"buyright/internal/store"
)

// seedLabMembers makes the city council, the human rights institution, the
// research institute and the claimants' association members of the Lab's
// network, with a tool the Lab's editor published to the portal, a draft
// still under discussion, and a peer exchange whose outcome fed one of the
// practices.
func seedLabMembers(ctx context.Context, db *store.DB, people map[string]*model.User) error {
	ana, bruno, op := people["ana@portavera.example"], people["bruno@nhri.example"], people["operator@buyright.example"]
	// Only a Lab editor publishes to the portal.
	editor := people["teresa@claimants.example"]
	for _, u := range []*model.User{ana, bruno, people["sofia@research.example"], editor} {
		if err := db.SetLabMember(ctx, store.ActorOf(op), u.OrgID, true); err != nil {
			return err
		}
	}
	published := &store.Material{OrgID: ana.OrgID, Kind: "template", Title: "Questions for suppliers of automated decision systems",
		Description: "Twelve questions the council put to bidders in its market consultation: what the system decides, on which data, how errors are found and corrected, who can see the logic, and what happens to the data at the end of the contract.",
		FileName:    "supplier-questions.txt", FileType: "text/plain; charset=utf-8",
		FileData: []byte("1. What does the system decide, and what does a person decide?\n2. Which data does it use, and from where?\n3. How are errors found and corrected, and how fast?\n4. Who can inspect the model and its logs?\n5. What happens to the data when the contract ends?\n")}
	if err := db.CreateMaterial(ctx, store.ActorOf(ana), published); err != nil {
		return err
	}
	if err := db.PublishMaterial(ctx, store.ActorOf(editor), published.ID); err != nil {
		return err
	}
	draft := &store.Material{OrgID: bruno.OrgID, Kind: "training", Title: "Half-day training: human rights in public procurement (draft)",
		Description: "Slides and exercises for procurement officers; members are asked to comment before it is published.", Link: "https://example.org/training-draft"}
	if err := db.CreateMaterial(ctx, store.ActorOf(bruno), draft); err != nil {
		return err
	}
	if err := db.AddLabComment(ctx, store.ActorOf(ana), ana, draft.ID, "The exercise on award criteria worked well with our team; could it include a case on goods such as laptops?"); err != nil {
		return err
	}
	list, err := db.PublishedPractices(ctx)
	if err != nil {
		return err
	}
	ev := &store.LabEvent{Title: "Peer exchange: contract clauses for automated decisions", Kind: "peer_exchange",
		StartsOn: model.DateOf(time.Now()).AddDays(-40), Place: "Lisbon and online",
		Agenda:       "Experiences with audit clauses; how to keep the right to explanation in the contract; exit and data return.",
		Participants: "Procurement officers from four municipalities, the national human rights institution, a claimants' association.",
		Outcomes:     "Participants agreed a shared wording for audit access and will test it in their next tenders."}
	if len(list) > 0 {
		ev.Practices = []int64{list[0].ID}
	}
	if err := db.CreateEvent(ctx, store.ActorOf(bruno), bruno.OrgID, ev); err != nil {
		return err
	}
	return db.PublishEvent(ctx, store.ActorOf(editor), ev.ID)
}

package relationship

import (
	"context"

	"buyright/internal/lifecycle"
	"buyright/internal/model"
)

// Question is the screening question that carries a purchase's kind. The
// screening form fills it from the record, so the catalogue's requirements
// for a licence or a partnership apply exactly when the record says so.
const Question = "relationship"

// ScreenedKind reads the kind a purchase's saved screening was scored for:
// the answer to Question ("" when the screening predates the question, which
// counts as a purchase) and whether the screening is complete.
type ScreenedKind interface {
	ScreenedKind(ctx context.Context, purchaseID int64) (kind string, complete bool, err error)
}

// RuleID is the id overrides of the rule are stored under.
const RuleID = "relationship_screened"

// Rule holds a purchase in its stage while its complete screening was
// scored for another kind of relationship than the record now says: the
// requirements of a licence or a partnership come from that answer, so a
// record changed to a licence after screening would otherwise skip them.
// A purchase not yet screened passes here; the screening gate stops it.
func Rule(src ScreenedKind) lifecycle.Rule { return rule{src} }

type rule struct{ src ScreenedKind }

func (rule) ID() string                { return RuleID }
func (rule) Guards(s model.Stage) bool { return s.Open() }

func (r rule) Check(ctx context.Context, sub lifecycle.Subject) (lifecycle.Result, error) {
	res := lifecycle.Result{Title: "gate.relationship.title", Passed: true, Message: "gate.ok"}
	kind, complete, err := r.src.ScreenedKind(ctx, sub.Purchase.ID)
	if err != nil || !complete {
		return res, err
	}
	if model.RelationshipKind(kind).Or() != sub.Purchase.Kind.Or() {
		res.Passed, res.Message = false, "gate.relationship.rescreen"
	}
	return res, nil
}

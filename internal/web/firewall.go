package web

import (
	"net/http"
	"strconv"
	"strings"

	"buyright/internal/access"
	"buyright/internal/firewall"
	"buyright/internal/model"
	"buyright/internal/store"
)

// A relationship's firewall: which data may not be used for which other
// purposes or by whom, the barriers that stop it, and the incidents where a
// barrier failed. The body writes the rules; the body or the company party
// to the relationship reports an incident, which opens a task that the
// oversight bodies see among their signals.

type firewallPage struct {
	P           *model.Purchase
	Rules       []firewall.Rule
	Incidents   []firewall.Incident
	CanRule     bool
	CanReport   bool
	CanTasks    bool // may open the purchase's tasks (its record)
	Barriers    []firewall.Barrier
	Form        map[string]string
	RuleErrors  model.FieldErrors // the rule form's problems
	IncidentErr model.FieldErrors // the incident form's problems
}

var ruleFields = []string{"data", "barred_uses", "barred_parties", "technical", "contractual", "audit"}
var barrierIncidentFields = []string{"rule_id", "occurred_on", "found_on", "barrier", "what", "data_reached", "people", "action_taken"}

func (s *Server) firewallState(r *http.Request, p *model.Purchase, rel access.Relation) (*firewallPage, error) {
	u := currentUser(r)
	d := &firewallPage{P: p, Barriers: firewall.Barriers, Form: map[string]string{},
		CanRule:   access.Can(u, rel, access.Edit) && p.Stage.Open(),
		CanReport: access.Can(u, rel, access.ReportBarrier),
		CanTasks:  access.Can(u, rel, access.ViewRecord)}
	var err error
	if d.Rules, err = s.db.FirewallRules(r.Context(), p.ID); err != nil {
		return nil, err
	}
	if d.Incidents, err = s.db.FirewallIncidents(r.Context(), p.ID); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Server) firewallView(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.ViewFirewall)
	if err != nil {
		return err
	}
	d, err := s.firewallState(r, p, rel)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "firewall", "firewall.title", d)
}

// firewallAgain shows the page with the form that was refused, as typed.
func (s *Server) firewallAgain(w http.ResponseWriter, r *http.Request, p *model.Purchase, rel access.Relation, fields []string, fe model.FieldErrors, incident bool) error {
	d, err := s.firewallState(r, p, rel)
	if err != nil {
		return err
	}
	for _, f := range fields {
		d.Form[f] = r.PostFormValue(f)
	}
	if incident {
		d.IncidentErr = fe
	} else {
		d.RuleErrors = fe
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "firewall", "firewall.title", d)
}

func (s *Server) firewallRuleAdd(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.Edit)
	if err != nil {
		return err
	}
	rule := &firewall.Rule{Data: r.PostFormValue("data"), BarredUses: r.PostFormValue("barred_uses"), BarredParties: r.PostFormValue("barred_parties"),
		Technical: r.PostFormValue("technical"), Contractual: r.PostFormValue("contractual"), Audit: r.PostFormValue("audit")}
	err = s.db.AddFirewallRule(r.Context(), store.ActorOf(currentUser(r)), p, rule)
	if fe := fieldErrs(err); fe != nil {
		return s.firewallAgain(w, r, p, rel, ruleFields, fe, false)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"/firewall?done=saved#rules", http.StatusSeeOther)
	return nil
}

func (s *Server) firewallIncidentAdd(w http.ResponseWriter, r *http.Request) error {
	p, rel, err := s.loadPurchase(r, access.ReportBarrier)
	if err != nil {
		return err
	}
	u := currentUser(r)
	fe := model.FieldErrors{}
	in := &firewall.Incident{OccurredOn: formDate(r, "occurred_on", fe), FoundOn: formDate(r, "found_on", fe),
		Barrier: firewall.Barrier(r.PostFormValue("barrier")), What: r.PostFormValue("what"), DataReached: r.PostFormValue("data_reached"),
		Action: r.PostFormValue("action_taken")}
	if v := strings.TrimSpace(r.PostFormValue("rule_id")); v != "" {
		if in.RuleID, err = strconv.ParseInt(v, 10, 64); err != nil {
			fe.Add("rule_id", "invalid.choice")
		}
	}
	if v := strings.TrimSpace(r.PostFormValue("people")); v != "" {
		if in.People, err = strconv.Atoi(strings.ReplaceAll(v, ",", "")); err != nil {
			fe.Add("people", "nexus.err.count")
		}
	}
	if len(fe) == 0 {
		err = s.db.ReportFirewallIncident(r.Context(), store.ActorOf(u), p, u.OrgID, in)
		fe = fieldErrs(err)
		if err != nil && fe == nil {
			return err
		}
	}
	if len(fe) > 0 {
		return s.firewallAgain(w, r, p, rel, barrierIncidentFields, fe, true)
	}
	http.Redirect(w, r, "/purchases/"+strconv.FormatInt(p.ID, 10)+"/firewall?done=saved#incidents", http.StatusSeeOther)
	return nil
}

package gen

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hookcontract/hookcontract/internal/contract"
)

// model is what the emitters need of a provider, in a fixed order.
type model struct {
	p        *contract.Provider
	s        *schemas
	tb       *typeBuilder
	eventPtr []string // JSON pointer tokens of the event name
	events   []*eventModel
	requests []*requestModel
	sig      []*contract.Signature
}

type eventModel struct {
	Name      string // on the wire
	GoName    string // ConversationCreated
	ConstName string // EventConversationCreated
	TypeName  string // ConversationCreatedEvent
	Payload   goType
	Bare      *goType
	Validate  string // validator function names
	ValidateB string
	Schema    string
	BareURI   string
	Doc       string
}

type requestModel struct {
	OperationID string
	GoName      string
	Present     []string
	Payload     goType
	Validate    string
	Schema      string
}

func buildModel(p *contract.Provider) (*model, error) {
	m := &model{p: p, s: newSchemas(), sig: p.Security}
	for _, f := range p.Schemas {
		if err := m.s.add(f.ID, f.Path, f.Raw); err != nil {
			return nil, err
		}
	}
	m.tb = newTypeBuilder(m.s)
	m.eventPtr = contract.SplitPointer(p.Ext.Event.Pointer)
	m.tb.eventField = ""
	if len(m.eventPtr) == 1 {
		m.tb.eventField = m.eventPtr[0]
	}
	used := map[string]string{}
	for _, e := range p.Events {
		if e.Kind != contract.KindWebhook {
			continue
		}
		name := goName(e.Name)
		if name == "" {
			return nil, fmt.Errorf("%s: event %q has no letters to name a Go type after", p.DocPath, e.Name)
		}
		if other, ok := used[name]; ok {
			return nil, fmt.Errorf("%s: events %q and %q would both be named %s in Go", p.DocPath, other, e.Name, name)
		}
		used[name] = e.Name
		em := &eventModel{
			Name: e.Name, GoName: name, ConstName: "Event" + name, TypeName: name + "Event",
			Validate: "validate" + name, Schema: e.Schema, BareURI: e.Bare,
		}
		if op := p.Operation(e); op != nil {
			em.Doc = firstLine(op.Summary, op.Description)
		}
		root, err := m.s.at(e.Schema)
		if err != nil {
			return nil, fmt.Errorf("%s: event %q: %w", p.DocPath, e.Name, err)
		}
		m.tb.roots[root.key()] = true
		em.Payload = m.tb.typeOf([]node{root}, nameForNode(root, name))
		if e.Bare != "" {
			bn, err := m.s.at(e.Bare)
			if err != nil {
				return nil, fmt.Errorf("%s: event %q bare form: %w", p.DocPath, e.Name, err)
			}
			bt := m.tb.typeOf([]node{bn}, nameForNode(bn, name+"Body"))
			em.Bare = &bt
			em.ValidateB = "validate" + name + "Bare"
		}
		m.events = append(m.events, em)
	}
	for _, r := range p.Ext.Requests {
		e := p.Event(r.OperationID)
		if e == nil {
			continue
		}
		name := goName(r.OperationID)
		rm := &requestModel{OperationID: r.OperationID, GoName: name, Present: contract.SplitPointer(r.Present), Validate: "validate" + name + "Request", Schema: e.Schema}
		root, err := m.s.at(e.Schema)
		if err != nil {
			return nil, fmt.Errorf("%s: request %q: %w", p.DocPath, r.OperationID, err)
		}
		rm.Payload = m.tb.typeOf([]node{root}, nameForNode(root, name+"Request"))
		m.requests = append(m.requests, rm)
	}
	if len(m.tb.errs) > 0 {
		return nil, errors.Join(m.tb.errs...)
	}
	sort.Slice(m.events, func(i, j int) bool { return m.events[i].Name < m.events[j].Name })
	return m, nil
}

func firstLine(ss ...string) string {
	for _, s := range ss {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			s = s[:i]
		}
		return s
	}
	return ""
}

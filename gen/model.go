package gen

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hookcontract/hookcontract/internal/contract"
	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// model is what the emitters need of a provider, in a fixed order.
type model struct {
	p        *contract.Provider
	s        *contract.Schemas
	tb       *typeBuilder
	eventPtr []string // JSON pointer tokens of the first body member naming the event; none when only a header does
	// eventLocs are the places a delivery carries its event name, in the
	// order detection tries them: body members and request headers.
	eventLocs []contract.Location
	eventSep  string   // joins a qualified header's value and its qualifier
	headers   []string // the request headers among eventLocs
	events    []*eventModel
	requests  []*requestModel
	sig       []*contract.Signature
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

func buildModel(p *contract.Provider, opts TypeOptions) (*model, error) {
	res, err := p.Resolver()
	if err != nil {
		return nil, err
	}
	m := &model{p: p, s: res, sig: p.Security}
	m.tb = newTypeBuilder(m.s, opts)
	m.eventLocs, m.eventSep = p.Ext.Event.Locations(), p.Ext.Event.Sep()
	if len(m.eventLocs) == 0 {
		return nil, p.Locate(p.DocPath, "", errors.New("expected where the event name travels: a body member or a header"))
	}
	for _, l := range m.eventLocs {
		if l.IsHeader() {
			m.headers = append(m.headers, l.Header)
		}
	}
	m.eventPtr = jsonpointer.Tokens(p.Ext.Event.Pointer)
	m.tb.eventField = ""
	if len(m.eventPtr) == 1 {
		m.tb.eventField = m.eventPtr[0]
	}
	// Event names first: their Go names are resolved deterministically (in
	// wire-name order, a clash takes a number), and the event types,
	// constants and handler methods they give are reserved before any
	// payload type is named.
	goNames := map[*contract.Event]string{}
	used := map[string]bool{}
	for _, e := range p.Events {
		if e.Kind != contract.KindWebhook {
			continue
		}
		name := goName(e.Name)
		if name == "" {
			name = goName(e.Key)
		}
		if name == "" {
			name = "Event"
		}
		for base, i := name, 2; used[name]; i++ {
			name = fmt.Sprintf("%s%d", base, i)
		}
		used[name] = true
		goNames[e] = name
		m.tb.reserve(name+"Event", "Event"+name)
	}
	for _, e := range p.Events {
		if e.Kind != contract.KindWebhook {
			continue
		}
		name := goNames[e]
		em := &eventModel{
			Name: e.Name, GoName: name, ConstName: "Event" + name, TypeName: name + "Event",
			Validate: "validate" + name, Schema: e.Schema, BareURI: e.Bare,
		}
		em.Doc = firstLine(e.Summary)
		root, err := m.s.At(e.Schema)
		if err != nil {
			return nil, fmt.Errorf("%s: event %q: %w", p.DocPath, e.Name, err)
		}
		m.tb.roots[root.Key()] = true
		em.Payload = m.tb.typeOf([]contract.Node{root}, nameForNode(root, name))
		if e.Bare != "" {
			bn, err := m.s.At(e.Bare)
			if err != nil {
				return nil, fmt.Errorf("%s: event %q bare form: %w", p.DocPath, e.Name, err)
			}
			bt := m.tb.typeOf([]contract.Node{bn}, nameForNode(bn, name+"Body"))
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
		rm := &requestModel{OperationID: r.OperationID, GoName: name, Present: jsonpointer.Tokens(r.Present), Validate: "validate" + name + "Request", Schema: e.Schema}
		root, err := m.s.At(e.Schema)
		if err != nil {
			return nil, fmt.Errorf("%s: request %q: %w", p.DocPath, r.OperationID, err)
		}
		rm.Payload = m.tb.typeOf([]contract.Node{root}, nameForNode(root, name+"Request"))
		m.requests = append(m.requests, rm)
	}
	if len(m.tb.errs) > 0 {
		// each problem once (a $ref is followed for its type and for its
		// description), placed at its line
		var errs []error
		seen := map[string]bool{}
		for _, err := range m.tb.errs {
			if ce, ok := err.(*contract.Error); ok && ce.Line == 0 {
				err = p.Locate(ce.File, ce.Pointer, ce.Err)
			}
			if !seen[err.Error()] {
				seen[err.Error()] = true
				errs = append(errs, err)
			}
		}
		return nil, errors.Join(errs...)
	}
	m.tb.breakValueCycles()
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

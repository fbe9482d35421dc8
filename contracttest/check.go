package contracttest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/hookcontract/hookcontract/internal/contract"
	"github.com/hookcontract/hookcontract/internal/jsonpointer"
	"github.com/hookcontract/hookcontract/runtime/hcrt"
)

// Verdict is the outcome of checking one payload.
type Verdict string

// Verdicts.
const (
	Pass  Verdict = "pass"  // conforms and carries nothing the contract does not know
	Drift Verdict = "drift" // conforms, but carries properties the contract does not know or breaks an expectation
	Fail  Verdict = "fail"  // does not conform, or is not JSON
)

// Violation is one rule a payload breaks: the violation every report of
// hookcontract carries (hcrt.Violation: the generated validators', the
// generated handler's problem documents', serve's captures') with where
// the schema and the payload hold it. Its JSON form is
// {"pointer", "keyword", "message", "grade", "schemaLocation", "line",
// "column"}.
type Violation struct {
	hcrt.Violation
	SchemaLocation string `json:"schemaLocation,omitempty"` // absolute location of the keyword in the schema
	Line           int    `json:"line,omitempty"`           // where in the payload: the value at Pointer, its container
	Column         int    `json:"column,omitempty"`         // when it is missing, or where a payload that is not JSON breaks

	memberName bool // the violation is about the member's name (propertyNames), not its value
}

// violation is a Violation of the guaranteed grade with no location yet.
func violation(pointer, keyword, message string) Violation {
	return Violation{Violation: hcrt.Violation{Pointer: pointer, Keyword: keyword, Message: message, Grade: hcrt.GradeGuaranteed}}
}

// Result is the outcome of checking one payload.
type Result struct {
	Source     string      `json:"source"`              // file name, "-" for stdin, or a caller's label
	Line       int         `json:"line,omitempty"`      // line in an NDJSON file
	Provider   string      `json:"provider,omitempty"`  // "" when it could not be told
	Event      string      `json:"event,omitempty"`     // "" when it could not be told
	Qualifier  string      `json:"qualifier,omitempty"` // second-level discriminator value (ticket status)
	Form       string      `json:"form,omitempty"`      // envelope, bare or request
	Verdict    Verdict     `json:"verdict"`
	Violations []Violation `json:"violations,omitempty"`
	Unknown    []string    `json:"unknown,omitempty"` // pointers of properties the contract does not know
	// UnknownEvent: the payload names, where its provider keeps the event
	// name, an event the contract does not declare. It is drift, as a
	// generated handler (and serve) acknowledges such a delivery and
	// ignores it; Event holds the name.
	UnknownEvent bool `json:"unknownEvent,omitempty"`
	Bytes        int  `json:"bytes"`
	// OverBodyLimit, when set, is the body bound the payload exceeds
	// (CheckOptions.MaxBodyBytes): a handler so bounded answers it 413.
	// A payload that conforms otherwise drifts.
	OverBodyLimit int64 `json:"overBodyLimit,omitempty"`
}

// Location is "source" or "source:line".
func (r *Result) Location() string {
	if r.Line > 0 {
		return r.Source + ":" + strconv.Itoa(r.Line)
	}
	return r.Source
}

// CheckOptions narrow detection.
type CheckOptions struct {
	Provider string // skip provider detection
	Event    string // the event of a body that carries no event name
	// Header is the delivery's request header, when known (a capture of
	// `hookcontract serve`): a spec's header locations of the event name
	// (events.pointers "header:X-Event") are read from it, and skipped
	// without it.
	Header http.Header
	// MaxBodyBytes is the largest body the handler the payloads are for
	// reads (its WithMaxBodyBytes): a payload that conforms but is larger
	// drifts, as that handler answers it 413 and the provider's delivery
	// is lost. 0 means the generated handler's default,
	// hcrt.DefaultMaxBodyBytes (1 MiB); a negative bound, none.
	MaxBodyBytes int64
}

// bodyLimit is the body bound opts check payloads against, 0 for none.
func (opts CheckOptions) bodyLimit() int64 {
	switch {
	case opts.MaxBodyBytes == 0:
		return hcrt.DefaultMaxBodyBytes
	case opts.MaxBodyBytes < 0:
		return 0
	}
	return opts.MaxBodyBytes
}

// Check validates one payload. It never panics and never keeps data: the
// result holds no part of it except through messages, which redact
// secrets. It is safe for concurrent use.
func (s *Suite) Check(data []byte, opts CheckOptions) Result {
	c := checkers.Get().(*checker)
	r := s.check(c, data, opts)
	c.dec.reset()
	checkers.Put(c)
	return r
}

// checker is the scratch space of one goroutine checking payloads.
type checker struct {
	dec decoder
}

func newChecker() *checker { return &checker{dec: decoder{recycle: true}} }

// newRunChecker is newChecker for the runner, which checks payloads of at
// most MaxPayloadValues values.
func newRunChecker() *checker {
	return &checker{dec: decoder{recycle: true, maxValues: MaxPayloadValues, budget: runBudget}}
}

var checkers = sync.Pool{New: func() any { return newChecker() }}

// check checks one payload with c's scratch space; the caller resets c.dec
// once it is done with the result.
func (s *Suite) check(c *checker, data []byte, opts CheckOptions) (r Result) {
	r = Result{Bytes: len(data)}
	defer func() {
		// A bug must cost one payload its verdict, not the whole run.
		if p := recover(); p != nil {
			r = Result{Bytes: len(data), Verdict: Fail, Violations: []Violation{violation("", "internal", fmt.Sprintf("internal error while checking this payload: %v", p))}}
		}
		for i := range r.Violations {
			if r.Violations[i].Grade == "" {
				r.Violations[i].Grade = Guaranteed
			}
		}
		if lim := opts.bodyLimit(); lim > 0 && int64(len(data)) > lim {
			r.OverBodyLimit = lim
			if r.Verdict == Pass {
				r.Verdict = Drift
			}
		}
	}()
	if opts.Provider != "" && s.provider(opts.Provider) == nil {
		r.Verdict = Fail
		r.Violations = []Violation{violation("", "provider", fmt.Sprintf("unknown provider %q; known: %s", opts.Provider, strings.Join(s.Providers(), ", ")))}
		return r
	}
	v, err := c.dec.decode(data)
	if err != nil {
		r.Verdict = Fail
		for _, se := range c.dec.errs {
			r.Violations = append(r.Violations, syntaxViolation(se, data))
		}
		return r
	}
	d := s.detect(v, opts)
	if d.unknownEvent != nil {
		r.Provider, r.Event, r.UnknownEvent, r.Verdict = d.unknownEvent.Name, strings.Clone(d.unknownName), true, Drift
		return r
	}
	if d.event != nil {
		r.Provider, r.Event, r.Form = d.event.provider.Name, d.event.Name, d.form
		if q := d.event.provider.Ext.Event.Qualifier; q != "" && d.form == contract.FormEnvelope {
			if qv, ok := lookup(v, jsonpointer.Tokens(q)).(string); ok {
				r.Qualifier = strings.Clone(qv)
			}
		}
	} else {
		r.Provider = opts.Provider
	}
	if d.target.schema == nil {
		r.Verdict = Fail
		c.dec.locateViolations(d.vio)
		r.Violations = d.vio
		return r
	}
	if d.valid {
		r.Unknown = d.unknown
		r.Violations = s.expectations(d.target, v)
		r.Verdict = Pass
		if len(r.Unknown) > 0 || len(r.Violations) > 0 {
			r.Verdict = Drift
		}
		c.dec.locateViolations(r.Violations)
		return r
	}
	if err := d.target.schema.Validate(v); err != nil {
		r.Verdict = Fail
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			r.Violations = append(d.vio, violation("", "schema", "cannot validate: "+err.Error()))
			return r
		}
		found := normalize(ve, d.target.schema, v, s.schemas)
		// The schema usually pins the event name itself; report a
		// mismatch with --event once.
		for _, x := range d.vio {
			if !slices.ContainsFunc(found, func(y Violation) bool { return y.Pointer == x.Pointer }) {
				found = append(found, x)
			}
		}
		sortViolations(found)
		c.dec.locateViolations(found)
		r.Violations = found
		return r
	}
	if len(d.vio) > 0 {
		r.Verdict = Fail
		c.dec.locateViolations(d.vio)
		r.Violations = d.vio
		return r
	}
	r.Unknown = unknownProperties(d.target.plan, v)
	r.Violations = s.expectations(d.target, v)
	r.Verdict = Pass
	if len(r.Unknown) > 0 || len(r.Violations) > 0 {
		r.Verdict = Drift
	}
	c.dec.locateViolations(r.Violations)
	return r
}

// maxLocated bounds the violations of one payload given a line and column:
// each costs a walk of the tape and a count of the lines before it.
const maxLocated = 100

// locateViolations sets the line and column of each violation, on the
// tape of the payload decoded last: where the value at its pointer
// starts, or its container when it is missing.
func (d *decoder) locateViolations(vs []Violation) {
	for i := range vs[:min(len(vs), maxLocated)] {
		vs[i].Line, vs[i].Column = hcrt.LineColumn(d.st.Data, locateOn(d.st, vs[i].Pointer))
	}
}

// syntaxViolation describes why a payload could not be decoded. A
// payload of one line (an NDJSON line) is located by column alone.
func syntaxViolation(se *SyntaxError, data []byte) Violation {
	if se.Keyword == "limit" {
		// the count of violations not listed, or the values bound (located
		// at the value beyond it)
		v := violation("", se.Keyword, se.Msg)
		v.Line, v.Column = se.Line, se.Column
		return v
	}
	where := fmt.Sprintf("line %d, column %d", se.Line, se.Column)
	if se.Line == 1 && !bytes.ContainsRune(data, '\n') {
		where = fmt.Sprintf("column %d", se.Column)
	}
	msg := "not JSON: " + where + ": " + se.Msg
	if se.Keyword == "duplicate-key" || se.Keyword == "number-size" {
		msg = where + ": " + se.Msg
	}
	v := violation(se.Pointer, se.Keyword, msg)
	v.Line, v.Column = se.Line, se.Column
	return v
}

// EventHint ends the message of a payload that carries no event name: the
// advice for hookcontract test, which a receiver with no --event drops.
const EventHint = "; for a body that carries none, pass --event"

// detection is what detect found: the event, the form and schema to check
// the payload against, and violations that stop it from being told.
type detection struct {
	event  *event
	target target
	form   string
	vio    []Violation

	valid   bool     // the payload was found to satisfy target
	unknown []string // and these are its unknown members

	// unknownEvent is the one provider whose event member names an event
	// it does not declare (unknownName).
	unknownEvent *provider
	unknownName  string
}

// detect finds the event of a decoded payload and the schema to check it
// against, from the discriminators the specs declare. When it cannot, it
// returns the violations that say why.
func (s *Suite) detect(v any, opts CheckOptions) detection {
	candidates := s.providers
	if opts.Provider != "" {
		one := [1]*provider{s.provider(opts.Provider)}
		candidates = one[:]
	}
	if opts.Event != "" {
		return s.detectGiven(v, opts, candidates)
	}
	type miss struct {
		p    *provider
		name any
	}
	var matchBuf [4]*event
	var missBuf [4]miss
	matches, misses := matchBuf[:0], missBuf[:0]
	for _, p := range candidates {
		if len(p.evPointer) == 0 && opts.Header == nil {
			continue // the event name travels in a header: pass --event
		}
		at, err := p.findEvent(v, opts.Header)
		if err != nil {
			return detection{vio: []Violation{violation(at.Pointer, "event", err.Error())}}
		}
		name, present := at.Name, at.Present
		if present {
			if str, ok := name.(string); ok {
				if e := p.events[str]; e != nil && e.Kind == contract.KindWebhook {
					matches = append(matches, e)
					continue
				}
			}
			misses = append(misses, miss{p, name})
			continue
		}
		for _, rr := range p.requests {
			if _, ok := lookupPresent(v, rr.present); ok && rr.event != nil {
				matches = append(matches, rr.event)
			}
		}
	}
	// A body naming no event is the event of the only webhook that may
	// omit the name whose schema accepts it; accepted by several, it is an
	// unknown event, acknowledged as the generated handler acknowledges it
	// (contract.Event.MayOmitName).
	if len(matches) == 0 && len(misses) == 0 {
		var accepting []*event
		for _, p := range candidates {
			accepting = append(accepting, p.acceptingUnnamed(v)...)
		}
		switch {
		case len(accepting) == 1:
			return eventDetection(accepting[0])
		case len(accepting) > 1:
			return detection{unknownEvent: accepting[0].provider}
		}
	}
	// Say why an event name was not recognised only when no provider
	// recognised it.
	if len(matches) == 0 && len(misses) == 1 {
		if name, ok := misses[0].name.(string); ok {
			return detection{unknownEvent: misses[0].p, unknownName: name}
		}
	}
	var unknown []Violation
	if len(matches) == 0 {
		for _, m := range misses {
			unknown = append(unknown, violation(m.p.Ext.Event.Pointer, "enum", fmt.Sprintf("expected an event name of %s (%s), found %s", m.p.Name, strings.Join(m.p.webhookNames(), ", "), describeValue(m.name, false))))
		}
	}
	if len(matches) > 1 {
		// Discriminators alone do not tell (two providers' request bodies
		// share a shape): take the contract that fits best.
		if d, ok := bestFit(matches, v); ok {
			return d
		}
	}
	switch {
	case len(matches) == 1:
		return eventDetection(matches[0])
	case len(matches) > 1:
		names := make([]string, len(matches))
		for i, e := range matches {
			names[i] = e.provider.Name + "/" + e.Name
		}
		return detection{vio: []Violation{violation("", "provider", fmt.Sprintf("payload matches %s: pass --provider", strings.Join(names, " and ")))}}
	case len(unknown) == 1 || (len(unknown) > 0 && opts.Provider != ""):
		return detection{vio: unknown[:1]}
	case len(unknown) > 1:
		msgs := make([]string, len(unknown))
		for i, u := range unknown {
			msgs[i] = u.Message
		}
		return detection{vio: []Violation{violation(unknown[0].Pointer, "enum", strings.Join(msgs, "; "))}}
	}
	var where []string
	for _, p := range candidates {
		var locs []string
		for _, l := range p.evLocs {
			locs = append(locs, l.String())
		}
		where = append(where, p.Name+" "+strings.Join(locs, " or "))
	}
	msg := fmt.Sprintf("no event name found (looked for %s)"+EventHint, strings.Join(where, ", "))
	if _, isObj := v.(map[string]any); !isObj {
		msg = fmt.Sprintf("expected a JSON object, found %s", describeValue(v, false))
	}
	return detection{vio: []Violation{violation("", "event", msg)}}
}

// bestFit chooses among events whose discriminators all match v: the one
// whose schema declares the most of v, that is, leaves the fewest members
// unknown. Among equally good fits it takes the only one v satisfies;
// otherwise it cannot tell.
func bestFit(events []*event, v any) (detection, bool) {
	var best []*event
	fewest := -1
	for _, e := range events {
		n := len(unknownProperties(e.schema.plan, v))
		switch {
		case fewest < 0 || n < fewest:
			best, fewest = []*event{e}, n
		case n == fewest:
			best = append(best, e)
		}
	}
	if len(best) == 1 {
		return eventDetection(best[0]), true
	}
	var valid []*event
	for _, e := range best {
		if e.schema.schema.Validate(v) == nil {
			valid = append(valid, e)
		}
	}
	if len(valid) != 1 {
		return detection{}, false
	}
	d := eventDetection(valid[0])
	d.valid, d.unknown = true, unknownProperties(valid[0].schema.plan, v)
	return d, true
}

func eventDetection(e *event) detection {
	form := contract.FormEnvelope
	if e.Kind == contract.KindRequest {
		form = contract.FormRequest
	}
	return detection{event: e, target: e.schema, form: form}
}

// detectGiven finds the schema of a payload whose event was given.
func (s *Suite) detectGiven(v any, opts CheckOptions, candidates []*provider) detection {
	var found []*event
	for _, p := range candidates {
		if e := p.events[opts.Event]; e != nil {
			found = append(found, e)
		}
	}
	switch len(found) {
	case 0:
		return detection{vio: []Violation{violation("", "event", fmt.Sprintf("no provider declares event %q", opts.Event))}}
	case 1:
	default:
		names := make([]string, len(found))
		for i, e := range found {
			names[i] = e.provider.Name
		}
		return detection{vio: []Violation{violation("", "event", fmt.Sprintf("event %q is declared by %s: pass --provider", opts.Event, strings.Join(names, " and ")))}}
	}
	e := found[0]
	if e.Kind == contract.KindRequest {
		return detection{event: e, target: e.schema, form: contract.FormRequest}
	}
	at, _ := e.provider.findEvent(v, nil) // ambiguity does not matter: the event is given
	name, present := at.Name, at.Present
	if len(e.provider.evPointer) == 0 {
		present = false // the body does not carry the event name
	}
	switch {
	case present && name == opts.Event:
		return detection{event: e, target: e.schema, form: contract.FormEnvelope}
	case present:
		return detection{event: e, target: e.schema, form: contract.FormEnvelope, vio: []Violation{violation(e.provider.Ext.Event.Pointer, "const", fmt.Sprintf("expected event %q as given, found %s", opts.Event, describeValue(name, false)))}}
	case e.bare.schema != nil:
		return detection{event: e, target: e.bare, form: contract.FormBare}
	default:
		return detection{event: e, target: e.schema, form: contract.FormEnvelope}
	}
}

// acceptingUnnamed returns p's webhooks whose bodies may carry no event
// name (contract.Event.MayOmitName) and whose schema accepts v.
func (p *provider) acceptingUnnamed(v any) []*event {
	var out []*event
	for _, e := range p.Events {
		if ev := p.events[e.Name]; e.MayOmitName() && ev != nil && ev.schema.schema != nil && ev.schema.schema.Validate(v) == nil {
			out = append(out, ev)
		}
	}
	return out
}

// findEvent reads the event name of the delivery of body v and request
// header h (nil when unknown) at p's locations (contract.FindEvent).
func (p *provider) findEvent(v any, h http.Header) (contract.EventAt, error) {
	return contract.FindEvent(v, h, p.evLocs, p.Ext.Event.Sep(), func(name string) bool {
		e := p.events[name]
		return e != nil && e.Kind == contract.KindWebhook
	})
}

func (p *provider) webhookNames() []string {
	var out []string
	for _, e := range p.Events {
		if e.Kind == "webhook" {
			out = append(out, e.Name)
		}
	}
	if len(out) > 8 {
		out = append(out[:8], "...")
	}
	return out
}

func lookup(v any, toks []string) any {
	x, _ := lookupPresent(v, toks)
	return x
}

func lookupPresent(v any, toks []string) (any, bool) {
	return jsonpointer.LookupTokens(v, toks)
}

// describeValue renders a found value for a message: short, and redacted
// when it is a secret.
func describeValue(v any, secret bool) string {
	if secret {
		return "a secret value (redacted)"
	}
	switch x := v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		if len(x) > 64 {
			x = x[:61] + "..."
		}
		return strconv.Quote(x)
	case json.Number:
		return "the number " + string(x)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprintf("%v", v)
}

func sortViolations(vs []Violation) {
	sort.SliceStable(vs, func(i, j int) bool {
		if vs[i].Pointer != vs[j].Pointer {
			return vs[i].Pointer < vs[j].Pointer
		}
		if vs[i].Keyword != vs[j].Keyword {
			return vs[i].Keyword < vs[j].Keyword
		}
		return vs[i].Message < vs[j].Message
	})
}

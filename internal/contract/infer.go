package contract

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// memberInfo is what the webhook schemas say of one body member.
type memberInfo struct {
	pinned   string   // the one value const or a one-value enum allows, "" when none
	enum     []string // the string values an enum allows
	isString bool     // typed string, or untyped with string values
}

// eventMemberNames are the member names that carry an event name in the
// specs vendors publish, most telling first.
var eventMemberNames = []string{
	"event_type", "eventType", "event", "type", "topic", "notificationType", "NotificationType",
	"event_name", "eventName", "action", "kind",
}

// eventHeaderPattern matches header parameters that carry an event name
// (X-GitHub-Event, X-Event-Key, ce-type).
var eventHeaderPattern = regexp.MustCompile(`(?i)(^|-)(event|event-?type|event-?key|ce-type|topic)$`)

// maxEventDepth is how many tokens deep the event name is looked for
// (notificationItems/0/NotificationRequestItem/eventCode is four).
const maxEventDepth = 4

// inferEvents finds, for a document without x-hookcontract, where a body
// carries its event name and the name each webhook is sent under:
//
//  1. a member that every webhook's schema pins to one value (const, a
//     one-value enum), the values all different: those values are the wire
//     names (they may differ from the webhook keys);
//  2. a member whose enum, in every webhook's schema, allows the webhook's
//     own key (an enum of all event names shared by every payload);
//  3. a string member with an event-like name (event_type, type, ...)
//     present in every webhook's schema, whose value is the webhook key;
//  4. a header parameter that every webhook declares (X-GitHub-Event,
//     ce-type): the event travels in the header, qualified by a body
//     member that some webhooks pin to the end of their key (GitHub's
//     issues-opened pins /action to opened: X-GitHub-Event issues and
//     /action opened is issues-opened), and after the body members when
//     those leave some webhooks unnamed.
//
// Members are followed through $ref, allOf and array items, up to four
// tokens deep. An event pointer given in the configuration skips the
// search, and the wire names are still read at it.
func (p *Provider) inferEvents() error {
	var hooks []*Event
	for _, e := range p.Events {
		if e.Kind == KindWebhook {
			hooks = append(hooks, e)
		}
	}
	if len(hooks) == 0 {
		return p.errAt("", errors.New("expected at least one webhook"))
	}
	res, err := p.Resolver()
	if err != nil {
		return err
	}
	members := make([]map[string]*memberInfo, len(hooks))
	required := make([]map[string]bool, len(hooks)) // the members each body must have
	for i, e := range hooks {
		n, err := res.At(e.Schema)
		if err != nil {
			return p.errAt(e.Pointer, fmt.Errorf("event %q: %w", e.Key, err))
		}
		members[i], required[i] = map[string]*memberInfo{}, map[string]bool{}
		collectMembers(res, n, "", 0, members[i], required[i], map[string]bool{})
	}
	// A discriminator mapping elsewhere in the document that names a
	// webhook's body schema pins its member to the mapping's key.
	mapped := p.discriminatorMappings()
	for i, e := range hooks {
		if d, ok := mapped[e.Schema]; ok {
			ptr := "/" + jsonpointer.Escape(d[0])
			mi := members[i][ptr]
			if mi == nil {
				mi = &memberInfo{}
				members[i][ptr] = mi
			}
			mi.pinned, mi.isString = d[1], true
		}
	}
	common := map[string]bool{} // pointers some webhook's body has
	for _, m := range members {
		for ptr := range m {
			common[ptr] = true
		}
	}
	ptrs := make([]string, 0, len(common))
	for ptr := range common {
		ptrs = append(ptrs, ptr)
	}
	sort.Slice(ptrs, func(i, j int) bool {
		di, dj := strings.Count(ptrs[i], "/"), strings.Count(ptrs[j], "/")
		if di != dj {
			return di < dj
		}
		ri, rj := nameRank(ptrs[i]), nameRank(ptrs[j])
		if ri != rj {
			return ri < rj
		}
		return ptrs[i] < ptrs[j]
	})
	// own returns the first of locs at which webhook i's body has a string
	// member, or "".
	own := func(i int, locs []string) string {
		for _, ptr := range locs {
			if mi := members[i][ptr]; mi != nil && mi.isString {
				return ptr
			}
		}
		return ""
	}
	// wire returns each webhook's name on the wire if the event name lives
	// at the first of locs its body has, and how telling locs are: how many
	// webhooks have one of them at all, and how many pin it (or list their
	// key in its enum).
	wire := func(locs ...string) (names []string, covered, telling int) {
		names = make([]string, len(hooks))
		seen := map[string]bool{}
		for i, e := range hooks {
			var mi *memberInfo
			if ptr := own(i, locs); ptr != "" {
				mi = members[i][ptr]
			}
			switch {
			case mi == nil:
				names[i] = strings.TrimPrefix(e.Key, "/")
			case mi.pinned != "":
				names[i], covered, telling = mi.pinned, covered+1, telling+1
			case keyIn(mi.enum, e.Key) != "":
				names[i], covered, telling = keyIn(mi.enum, e.Key), covered+1, telling+1
			default:
				// A plain string, or an enum that misses the key (the
				// vendor's list is older than its webhooks): the key.
				names[i], covered = strings.TrimPrefix(e.Key, "/"), covered+1
			}
			if seen[names[i]] {
				return nil, 0, 0
			}
			seen[names[i]] = true
		}
		return names, covered, telling
	}
	all := len(hooks)
	var locs []string // the body members among the locations
	declared := p.Ext.Event.Locations()
	var qualified *Location // a header location qualified by a body member
	hasHeader := false
	for i, l := range declared {
		if !l.IsHeader() {
			locs = append(locs, l.Pointer)
			continue
		}
		hasHeader = true
		if l.Pointer != "" && qualified == nil {
			qualified = &declared[i]
		}
	}
	if len(declared) == 0 {
		rules := []func(ptr string, covered, telling int) bool{
			// 1 and 2: every webhook pins it, or lists its key in its enum.
			func(_ string, covered, telling int) bool { return covered == all && telling == all },
			// 3: every webhook has it; most pin it.
			func(_ string, covered, telling int) bool { return covered == all && 2*telling > all },
			// 4: a plain string with an event-like name everywhere.
			func(ptr string, covered, _ int) bool { return covered == all && eventLike(ptr) },
			// 5: most webhooks pin it; the others carry no such member
			// (a document mixing two envelopes): see below.
			func(_ string, _, telling int) bool { return 2*telling > all },
		}
		// How many webhooks have each pointer, and pin it: counted once,
		// without the names, so that a document with thousands of member
		// pointers (GitHub's) is searched in linear time; the names are
		// made only for a pointer a rule takes.
		type count struct{ covered, telling int }
		counts := make([]count, len(ptrs))
		for j, ptr := range ptrs {
			for i, e := range hooks {
				mi := members[i][ptr]
				if mi == nil || !mi.isString {
					continue
				}
				counts[j].covered++
				if mi.pinned != "" || keyIn(mi.enum, e.Key) != "" {
					counts[j].telling++
				}
			}
		}
	search:
		for _, rule := range rules {
			for j, ptr := range ptrs {
				if !rule(ptr, counts[j].covered, counts[j].telling) {
					continue
				}
				if names, _, _ := wire(ptr); names != nil {
					locs = []string{ptr}
					break search
				}
			}
		}
		keys := make([]string, len(hooks))
		for i, e := range hooks {
			keys[i] = e.Key
		}
		locs = p.moreLocations(locs, ptrs, keys, members, own, wire)
		h := commonEventHeader(hooks)
		var headerToo bool // the header names the webhooks the body members leave unnamed
		if h != "" && len(locs) > 0 {
			// Every webhook declares an event header: a body member whose
			// values only end the keys (GitHub's /action: opened of
			// issues-opened) qualifies the header rather than naming the
			// event; body members that leave some webhooks unnamed are
			// followed by the header.
			_, covered, telling := wire(locs...)
			if _, n := qualifierSep(hooks, members, locs[0]); len(locs) == 1 && n > 0 && n == telling {
				locs = nil
			} else if covered < all {
				headerToo = true
			}
		}
		if len(locs) > 0 {
			p.Ext.Event.Pointers = locationList(locs[0], locs[1:])
			if headerToo {
				p.Ext.Event.Pointers = append(slices.Clone(locs), HeaderPrefix+h)
				hasHeader = true
			}
		} else if h != "" {
			// The event travels in a header; a body member that some
			// webhooks pin to the end of their key (issues-opened pins
			// /action to opened) qualifies it.
			l := Location{Header: h}
			best := 0
			for _, ptr := range ptrs {
				if _, n := qualifierSep(hooks, members, ptr); n > best {
					l.Pointer, best = ptr, n
				}
			}
			p.Ext.Event.Pointers = []string{l.String()}
			hasHeader = true
			if l.Pointer != "" {
				qualified = &l
			}
		}
	}
	if qualified != nil && p.Ext.Event.Separator == "" {
		p.Ext.Event.Separator, _ = qualifierSep(hooks, members, qualified.Pointer)
	}
	if len(locs) == 0 {
		if hasHeader {
			return nil // the event travels in a header; wire names are the keys
		}
		return p.errAt("", fmt.Errorf("cannot tell where the event name lives: no body member pins each webhook's name (const or enum) or carries it as an event-like string (%s), and no header parameter names the event; declare events.pointer or events.pointers (a JSON pointer such as /type, or header:X-Event) in hookcontract.yaml", strings.Join(eventMemberNames[:4], ", ")))
	}
	names, covered, _ := wire(locs...)
	if names == nil {
		return p.errAt("", fmt.Errorf("the event pointers %s do not tell the webhooks apart", strings.Join(locs, ", ")))
	}
	p.Ext.Event.Pointer = locs[0]
	if covered < all && !hasHeader {
		var missing []string
		for i, e := range hooks {
			if own(i, locs) == "" {
				missing = append(missing, e.Key)
				e.Unnamed = true
			}
		}
		p.warn(p.errAt("", fmt.Errorf("the event name is read at %s, which the bodies of %s do not have: those are told only by name (ParseEvent, ValidateEvent)", strings.Join(locs, ", "), strings.Join(missing, ", "))))
	}
	for i, e := range hooks {
		e.Name = names[i]
		if ptr := own(i, locs); ptr != "" && !hasHeader && !requiredPath(required[i], ptr) {
			// The body declares the event member but may leave it out
			// (Remote's incentive.created), and no header names the event
			// instead: a body without it is told by its schema
			// (Event.MayOmitName).
			e.NameOptional = true
		}
	}
	sort.SliceStable(p.Events, func(i, j int) bool { return p.Events[i].Name < p.Events[j].Name })
	for i := 1; i < len(p.Events); i++ {
		if p.Events[i].Name == p.Events[i-1].Name {
			return p.errAt(p.Events[i].Pointer, fmt.Errorf("event name %q is declared twice", p.Events[i].Name))
		}
	}
	return nil
}

// moreLocations adds to locs, while some webhooks have none of them, the
// location that the most of those webhooks carry their name at: a member
// they pin (or whose enum lists their key), or, when no location was found
// at all, an event-like string member one token deep (Amazon's catalog
// writes NotificationType in some files, notificationType in others).
// Candidates are tried in the order of ptrs, so the result is
// deterministic; a location that would make two webhooks share a name is
// not taken. Event-like members must, together, cover most webhooks; the
// others are told by name only, as with one location.
func (p *Provider) moreLocations(locs, ptrs, keys []string, members []map[string]*memberInfo, own func(int, []string) string, wire func(...string) ([]string, int, int)) []string {
	plain := len(locs) == 0
	for {
		best, bestN := "", 0
		for _, ptr := range ptrs {
			if slices.Contains(locs, ptr) || (plain && !eventLike(ptr)) {
				continue
			}
			n := 0
			for i, m := range members {
				mi := m[ptr]
				if own(i, locs) != "" || mi == nil || !mi.isString {
					continue
				}
				if plain || mi.pinned != "" || keyIn(mi.enum, keys[i]) != "" {
					n++
				}
			}
			if n > bestN {
				if names, _, _ := wire(append(slices.Clone(locs), ptr)...); names != nil {
					best, bestN = ptr, n
				}
			}
		}
		if best == "" {
			break
		}
		locs = append(locs, best)
	}
	if plain && len(locs) > 0 {
		if _, covered, _ := wire(locs...); 2*covered <= len(members) {
			return nil // event-like names that most webhooks lack tell nothing
		}
	}
	return locs
}

// qualifierSep returns how many webhooks pin the body member at ptr to
// the end of their key (issues-opened pins /action to opened), and the
// separator most of those keys put before it (DefaultSeparator when none).
func qualifierSep(hooks []*Event, members []map[string]*memberInfo, ptr string) (string, int) {
	const seps = "-._/:"
	counts := make([]int, len(seps))
	n := 0
	for i, e := range hooks {
		mi := members[i][ptr]
		if mi == nil || mi.pinned == "" {
			continue
		}
		key := strings.TrimPrefix(e.Key, "/")
		head, ok := strings.CutSuffix(key, mi.pinned)
		if !ok || len(head) < 2 {
			continue
		}
		if j := strings.IndexByte(seps, head[len(head)-1]); j >= 0 {
			counts[j]++
			n++
		}
	}
	best := -1
	for j, c := range counts {
		if c > 0 && (best < 0 || c > counts[best]) {
			best = j
		}
	}
	if best < 0 {
		return DefaultSeparator, 0
	}
	return seps[best : best+1], n
}

// eventLike reports whether ptr is one token deep and named as event
// names are (event_type, type, NotificationType, ...).
func eventLike(ptr string) bool {
	return nameRank(ptr) < len(eventMemberNames) && strings.Count(ptr, "/") == 1
}

// discriminatorMappings indexes the discriminator mappings of the
// document's component schemas: target schema URI -> (property, value).
func (p *Provider) discriminatorMappings() map[string][2]string {
	out := map[string][2]string{}
	comps, _ := p.tree["components"].(map[string]any)
	schemas, _ := comps["schemas"].(map[string]any)
	for _, name := range sortedKeys(schemas) {
		walkSchema(schemas[name], func(m map[string]any) {
			d, _ := m["discriminator"].(map[string]any)
			prop, _ := d["propertyName"].(string)
			mapping, _ := d["mapping"].(map[string]any)
			if prop == "" {
				return
			}
			for _, val := range sortedKeys(mapping) {
				ref, ok := mapping[val].(string)
				if !ok {
					continue
				}
				if uri, err := p.resolveRef(ref); err == nil {
					if _, dup := out[uri]; !dup {
						out[uri] = [2]string{prop, val}
					}
				}
			}
		})
	}
	return out
}

// nameRank orders candidate pointers by how telling their last token is.
func nameRank(ptr string) int {
	toks := jsonpointer.Tokens(ptr)
	last := toks[len(toks)-1]
	for i, n := range eventMemberNames {
		if strings.EqualFold(n, last) {
			return i
		}
	}
	if strings.Contains(strings.ToLower(last), "event") {
		return len(eventMemberNames) - 1
	}
	return len(eventMemberNames)
}

// commonEventHeader returns the event-like header parameter every webhook
// declares, or "".
func commonEventHeader(hooks []*Event) string {
	counts := map[string]int{}
	canon := map[string]string{}
	for _, e := range hooks {
		seen := map[string]bool{}
		for _, h := range e.Headers {
			l := strings.ToLower(h)
			if eventHeaderPattern.MatchString(l) && !seen[l] {
				seen[l] = true
				counts[l]++
				canon[l] = h
			}
		}
	}
	var best []string
	for l, c := range counts {
		if c == len(hooks) {
			best = append(best, l)
		}
	}
	sort.Strings(best)
	if len(best) == 0 {
		return ""
	}
	return canon[best[0]]
}

// collectMembers records what the schema n (followed through $ref and
// allOf) says of each member, under pointers prefixed with prefix, and goes
// into object members and array items; req gets the pointers of the
// members n requires.
func collectMembers(res *Schemas, n Node, prefix string, depth int, out map[string]*memberInfo, req map[string]bool, seen map[string]bool) {
	if depth >= maxEventDepth || seen[n.Key()+"|"+prefix] {
		return
	}
	seen[n.Key()+"|"+prefix] = true
	m := n.Obj()
	if m == nil {
		return
	}
	if t, ok, err := res.Ref(n); err == nil && ok {
		collectMembers(res, t, prefix, depth, out, req, seen)
	}
	if all, ok := m["allOf"].([]any); ok {
		for i := range all {
			if c, ok := n.Child("allOf", fmt.Sprint(i)); ok {
				collectMembers(res, c, prefix, depth, out, req, seen)
			}
		}
	}
	if names, ok := m["required"].([]any); ok {
		for _, k := range names {
			if k, ok := k.(string); ok {
				req[jsonpointer.Append(prefix, k)] = true
			}
		}
	}
	if props, ok := m["properties"].(map[string]any); ok {
		for _, k := range sortedKeys(props) {
			c, _ := n.Child("properties", k)
			ptr := prefix + "/" + jsonpointer.Escape(k)
			mi := out[ptr]
			if mi == nil {
				mi = &memberInfo{}
				out[ptr] = mi
			}
			describeMember(res, c, mi, map[string]bool{})
			collectMembers(res, c, ptr, depth+1, out, req, seen)
		}
	}
	if it, ok := n.Child("items"); ok && it.Obj() != nil {
		collectMembers(res, it, prefix+"/0", depth+1, out, req, seen)
	}
}

// describeMember merges what schema n says of a value into mi.
func describeMember(res *Schemas, n Node, mi *memberInfo, seen map[string]bool) {
	if seen[n.Key()] {
		return
	}
	seen[n.Key()] = true
	m := n.Obj()
	if m == nil {
		return
	}
	if t, ok, err := res.Ref(n); err == nil && ok {
		describeMember(res, t, mi, seen)
	}
	if all, ok := m["allOf"].([]any); ok {
		for i := range all {
			if c, ok := n.Child("allOf", fmt.Sprint(i)); ok {
				describeMember(res, c, mi, seen)
			}
		}
	}
	switch t := m["type"].(type) {
	case string:
		mi.isString = mi.isString || t == "string"
	case []any:
		mi.isString = mi.isString || containsString(t, "string")
	}
	if c, ok := m["const"].(string); ok {
		mi.pinned, mi.isString = c, true
	}
	if e, ok := m["enum"].([]any); ok {
		var vals []string
		for _, v := range e {
			if s, ok := v.(string); ok {
				vals = append(vals, s)
			}
		}
		if len(vals) > 0 {
			mi.isString = true
			mi.enum = vals
			if len(e) == 1 {
				mi.pinned = vals[0]
			}
		}
	}
}

// requiredPath reports whether a body must have the member at ptr: every
// member on the way to it is required (array items count as present).
func requiredPath(req map[string]bool, ptr string) bool {
	toks := jsonpointer.Tokens(ptr)
	prefix := ""
	for i, t := range toks {
		next := jsonpointer.Append(prefix, t)
		if t == "0" && i > 0 && !req[next] {
			prefix = next // an array item (collectMembers writes items as /0)
			continue
		}
		if !req[next] {
			return false
		}
		prefix = next
	}
	return true
}

// keyIn returns the value of enum that is the webhook key (written with or
// without a leading slash, as Adyen writes its keys), or "".
func keyIn(enum []string, key string) string {
	for _, k := range []string{key, strings.TrimPrefix(key, "/")} {
		for _, v := range enum {
			if v == k {
				return v
			}
		}
	}
	return ""
}

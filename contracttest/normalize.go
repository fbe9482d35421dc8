package contracttest

import (
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// normalize turns jsonschema/v5's error tree into violations people can act
// on: one per failing leaf keyword; a missing required property at its own
// pointer; an additionalProperties failure at each property; a union
// resolved by its discriminator first, reporting only the chosen branch.
// Messages say what was expected and what was found, never a secret value.
func normalize(ve *jsonschema.ValidationError, root *jsonschema.Schema, v any) []Violation {
	var out []Violation
	collect(ve, v, &out)
	for i := range out {
		out[i] = finishMessage(out[i], root, v)
	}
	sortViolations(out)
	// The same leaf can be reached twice (a schema applied through two
	// paths); report it once.
	dedup := out[:0]
	for i, x := range out {
		if i > 0 && x == out[i-1] {
			continue
		}
		dedup = append(dedup, x)
	}
	return dedup
}

func keywordOf(e *jsonschema.ValidationError) string {
	loc := e.KeywordLocation
	if i := strings.LastIndexByte(loc, '/'); i >= 0 {
		loc = loc[i+1:]
	}
	return strings.ReplaceAll(strings.ReplaceAll(loc, "~1", "/"), "~0", "~")
}

func collect(e *jsonschema.ValidationError, v any, out *[]Violation) {
	kw := keywordOf(e)
	switch {
	case kw == "oneOf" || kw == "anyOf":
		if len(e.Causes) == 0 { // oneOf matched more than one branch
			*out = append(*out, leaf(e, kw, e.InstanceLocation, e.Message))
			return
		}
		var chosen [][]Violation
		for _, branch := range e.Causes {
			var bv []Violation
			collect(branch, v, &bv)
			if !discriminatorMismatch(bv, e.InstanceLocation) {
				chosen = append(chosen, bv)
			}
		}
		if len(chosen) == 1 {
			*out = append(*out, chosen[0]...)
			return
		}
		*out = append(*out, leaf(e, kw, e.InstanceLocation, "expected the value to match one of the "+strconv.Itoa(len(e.Causes))+" alternatives, found it matches none"))
	case kw == "required" && len(e.Causes) == 0:
		names := quotedNames(strings.TrimPrefix(e.Message, "missing properties: "))
		if len(names) == 0 {
			*out = append(*out, leaf(e, kw, e.InstanceLocation, e.Message))
			return
		}
		for _, n := range names {
			*out = append(*out, leaf(e, kw, e.InstanceLocation+"/"+escapeToken(n), "expected required property "+strconv.Quote(n)+", found it missing"))
		}
	case kw == "additionalProperties" && len(e.Causes) == 0 && strings.HasPrefix(e.Message, "additionalProperties "):
		names := quotedNames(strings.TrimSuffix(strings.TrimPrefix(e.Message, "additionalProperties "), " not allowed"))
		for _, n := range names {
			*out = append(*out, leaf(e, kw, e.InstanceLocation+"/"+escapeToken(n), "expected no property "+strconv.Quote(n)+" (additionalProperties is false), found it"))
		}
	case len(e.Causes) == 0 || kw == "contains":
		if e.Message == "not allowed" {
			kw = "false"
		}
		*out = append(*out, leaf(e, kw, e.InstanceLocation, e.Message))
	default:
		for _, c := range e.Causes {
			collect(c, v, out)
		}
	}
}

func leaf(e *jsonschema.ValidationError, kw, ptr, msg string) Violation {
	return Violation{Pointer: ptr, Keyword: kw, SchemaLocation: e.AbsoluteKeywordLocation, Message: msg}
}

// discriminatorMismatch tells whether a union branch failed on the value
// that selects it: a const or enum at the union's own location or at one of
// its direct members, or a required discriminator member missing.
func discriminatorMismatch(branch []Violation, at string) bool {
	for _, b := range branch {
		if b.Keyword != "const" && b.Keyword != "enum" {
			continue
		}
		if b.Pointer == at {
			return true
		}
		if rest, ok := strings.CutPrefix(b.Pointer, at+"/"); ok && !strings.Contains(rest, "/") {
			return true
		}
	}
	return false
}

// quotedNames parses jsonschema/v5's list of quoted property names:
// 'a', 'b\'c'.
func quotedNames(s string) []string {
	var out []string
	for len(s) > 0 {
		s = strings.TrimLeft(s, ", ")
		if len(s) == 0 || s[0] != '\'' {
			return out
		}
		i := 1
		for i < len(s) && s[i] != '\'' {
			if s[i] == '\\' {
				i++
			}
			i++
		}
		if i >= len(s) {
			return out
		}
		body := strings.ReplaceAll(s[1:i], `\'`, `'`)
		body = strings.ReplaceAll(body, `"`, `\"`)
		name, err := strconv.Unquote(`"` + body + `"`)
		if err != nil {
			name = s[1:i]
		}
		out = append(out, name)
		s = s[i+1:]
	}
	return out
}

// finishMessage makes a violation's message say what was found, and strips
// the value of a secret field from it.
func finishMessage(x Violation, root *jsonschema.Schema, v any) Violation {
	found, present := lookupPresent(v, splitPointer(x.Pointer))
	secret := present && secretAt(root, v, x.Pointer)
	switch x.Keyword {
	case "enum", "const", "pattern":
		if present {
			x.Message += ", found " + describeValue(found, secret)
		}
	case "format":
		if secret {
			// jsonschema/v5 quotes the value: keep only the format.
			if i := strings.LastIndex(x.Message, " is not valid "); i >= 0 {
				x.Message = "expected a valid " + strings.Trim(x.Message[i+len(" is not valid "):], "'") + ", found " + describeValue(found, true)
			}
		}
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
		if secret {
			if i := strings.Index(x.Message, " but found "); i >= 0 {
				x.Message = x.Message[:i] + ", found " + describeValue(found, true)
			}
		}
	case "multipleOf":
		if secret {
			if i := strings.Index(x.Message, " not multipleOf "); i >= 0 {
				x.Message = "expected a multiple of " + x.Message[i+len(" not multipleOf "):] + ", found " + describeValue(found, true)
			}
		}
	}
	return x
}

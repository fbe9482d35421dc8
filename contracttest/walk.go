package contracttest

import (
	"sort"
	"strconv"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// applied expands s into every schema that applies to v in place: s itself,
// its $ref, allOf, the anyOf/oneOf branches v satisfies, the if/then/else
// branch taken and the dependentSchemas triggered. With loose set, every
// conditional branch counts (used to find secrets in invalid payloads, where
// over-redaction is the safe side).
func applied(s *jsonschema.Schema, v any, loose bool, out []*jsonschema.Schema) []*jsonschema.Schema {
	if s == nil {
		return out
	}
	for _, seen := range out {
		if seen == s {
			return out
		}
	}
	out = append(out, s)
	out = applied(s.Ref, v, loose, out)
	out = applied(s.DynamicRef, v, loose, out)
	for _, x := range s.AllOf {
		out = applied(x, v, loose, out)
	}
	for _, group := range [][]*jsonschema.Schema{s.AnyOf, s.OneOf} {
		for _, x := range group {
			if loose || matches(x, v) {
				out = applied(x, v, loose, out)
			}
		}
	}
	if s.If != nil {
		switch {
		case loose:
			out = applied(s.If, v, loose, out)
			out = applied(s.Then, v, loose, out)
			out = applied(s.Else, v, loose, out)
		case matches(s.If, v):
			out = applied(s.If, v, loose, out)
			out = applied(s.Then, v, loose, out)
		default:
			out = applied(s.Else, v, loose, out)
		}
	}
	if obj, ok := v.(map[string]any); ok {
		for name, x := range s.DependentSchemas {
			if _, ok := obj[name]; ok || loose {
				out = applied(x, v, loose, out)
			}
		}
	}
	return out
}

// matches reports whether v satisfies s. Conditions that only test for
// present members or pin a member with const/enum are answered directly;
// anything else asks the validator.
func matches(s *jsonschema.Schema, v any) bool {
	if quick, ok := quickMatch(s, v); ok {
		return quick
	}
	return s.Validate(v) == nil
}

func quickMatch(s *jsonschema.Schema, v any) (result, ok bool) {
	if s.Ref != nil || s.DynamicRef != nil || len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) > 0 || s.If != nil || s.Not != nil ||
		len(s.Types) > 0 || len(s.Enum) > 0 || len(s.Constant) > 0 || s.Format != "" || len(s.PatternProperties) > 0 ||
		s.AdditionalProperties != nil || s.PropertyNames != nil || len(s.DependentRequired)+len(s.DependentSchemas) > 0 ||
		s.MinProperties != -1 || s.MaxProperties != -1 || len(s.Extensions) > 0 {
		return false, false
	}
	for _, p := range s.Properties {
		if !constOnly(p) {
			return false, false
		}
	}
	obj, isObj := v.(map[string]any)
	if !isObj {
		return true, true // object keywords ignore other types
	}
	for _, name := range s.Required {
		if _, ok := obj[name]; !ok {
			return false, true
		}
	}
	for name, p := range s.Properties {
		if pv, ok := obj[name]; ok && p.Validate(pv) != nil {
			return false, true
		}
	}
	return true, true
}

func constOnly(s *jsonschema.Schema) bool {
	return s.Ref == nil && len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) == 0 && s.If == nil && s.Not == nil &&
		len(s.Properties) == 0 && len(s.Required) == 0 && s.Items2020 == nil && len(s.PrefixItems) == 0
}

// unknownProperties lists, sorted, the pointers of object members that no
// schema applying to their object declares. Objects whose schemas declare
// no members at all (free-form maps) are not reported.
func unknownProperties(root *jsonschema.Schema, v any) []string {
	var out []string
	walkUnknown(applied(root, v, false, nil), v, "", &out)
	sort.Strings(out)
	return out
}

func walkUnknown(schemas []*jsonschema.Schema, v any, ptr string, out *[]string) {
	switch x := v.(type) {
	case map[string]any:
		declared := false
		for _, s := range schemas {
			if len(s.Properties) > 0 || len(s.PatternProperties) > 0 || s.AdditionalProperties != nil || s.PropertyNames != nil {
				declared = true
				break
			}
		}
		for name, child := range x {
			var sub []*jsonschema.Schema
			known := false
			for _, s := range schemas {
				matched := false
				if p, ok := s.Properties[name]; ok {
					sub, matched = applied(p, child, false, sub), true
				}
				for re, p := range s.PatternProperties {
					if re.MatchString(name) {
						sub, matched = applied(p, child, false, sub), true
					}
				}
				if !matched {
					switch ap := s.AdditionalProperties.(type) {
					case *jsonschema.Schema:
						sub, matched = applied(ap, child, false, sub), true
					case bool:
						matched = ap
					}
				}
				known = known || matched
			}
			cp := ptr + "/" + escapeToken(name)
			if declared && !known {
				*out = append(*out, cp)
				continue
			}
			if len(sub) > 0 {
				walkUnknown(sub, child, cp, out)
			}
		}
	case []any:
		for i, child := range x {
			var sub []*jsonschema.Schema
			for _, s := range schemas {
				switch {
				case i < len(s.PrefixItems):
					sub = applied(s.PrefixItems[i], child, false, sub)
				case s.Items2020 != nil:
					sub = applied(s.Items2020, child, false, sub)
				}
			}
			if len(sub) > 0 {
				walkUnknown(sub, child, ptr+"/"+strconv.Itoa(i), out)
			}
		}
	}
}

// secretAt reports whether the value at pointer, or any value that holds it,
// is described by a schema marked x-hookcontract-secret.
func secretAt(root *jsonschema.Schema, v any, pointer string) bool {
	schemas := applied(root, v, true, nil)
	cur := v
	for _, tok := range splitPointer(pointer) {
		for _, s := range schemas {
			if isSecret(s) {
				return true
			}
		}
		var child any
		var sub []*jsonschema.Schema
		switch x := cur.(type) {
		case map[string]any:
			child = x[tok]
			for _, s := range schemas {
				if p, ok := s.Properties[tok]; ok {
					sub = applied(p, child, true, sub)
				}
				for re, p := range s.PatternProperties {
					if re.MatchString(tok) {
						sub = applied(p, child, true, sub)
					}
				}
				if ap, ok := s.AdditionalProperties.(*jsonschema.Schema); ok {
					sub = applied(ap, child, true, sub)
				}
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return false
			}
			child = x[i]
			for _, s := range schemas {
				if i < len(s.PrefixItems) {
					sub = applied(s.PrefixItems[i], child, true, sub)
				} else if s.Items2020 != nil {
					sub = applied(s.Items2020, child, true, sub)
				}
			}
		default:
			return false
		}
		cur, schemas = child, sub
	}
	for _, s := range schemas {
		if isSecret(s) {
			return true
		}
	}
	return false
}

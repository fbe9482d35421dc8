package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// decodeDocument decodes an OpenAPI document or JSON Schema file into JSON
// values (numbers as json.Number). A document that is JSON is read as JSON,
// so that every JSON escape (surrogate pairs included) means what JSON says;
// anything else is read as YAML 1.2.
func decodeDocument(raw []byte) (any, error) {
	trimmed := bytes.TrimLeft(raw, " \t\r\n\ufeff")
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') && json.Valid(trimmed) {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("decode JSON: %w", err)
		}
		return v, nil
	}
	var y any
	if err := yaml.Unmarshal(raw, &y); err != nil {
		return nil, fmt.Errorf("decode YAML: %w", err)
	}
	return fromYAML(y, "")
}

// fromYAML turns what yaml.v3 decodes into JSON values: string keys only,
// numbers as json.Number.
func fromYAML(v any, at string) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			c, err := fromYAML(e, at+"/"+jsonpointer.Escape(k))
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			ks, ok := k.(string)
			if !ok {
				ks = fmt.Sprint(k) // response codes and the like written unquoted
			}
			c, err := fromYAML(e, at+"/"+jsonpointer.Escape(ks))
			if err != nil {
				return nil, err
			}
			out[ks] = c
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			c, err := fromYAML(e, fmt.Sprintf("%s/%d", at, i))
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case int:
		return json.Number(fmt.Sprint(x)), nil
	case int64:
		return json.Number(fmt.Sprint(x)), nil
	case uint64:
		return json.Number(fmt.Sprint(x)), nil
	case float64:
		b, err := json.Marshal(x)
		if err != nil {
			return nil, fmt.Errorf("at %s: %w", at, err)
		}
		return json.Number(b), nil
	case string, bool, nil:
		return x, nil
	}
	return nil, fmt.Errorf("at %s: value of type %T is not JSON", at, v)
}

// webhookOp is one delivery the document declares: a webhook (3.1
// `webhooks`, 3.0 `x-webhooks`) or a callback of an operation.
type webhookOp struct {
	key    string         // the webhook key or callback name
	ptr    string         // JSON pointer of the operation
	op     map[string]any // the operation object, $ref resolved
	opPtr  string         // JSON pointer of the operation object after $ref
	method string
}

// webhookOps lists the deliveries the document declares, sorted by key:
// entries under webhooks (or x-webhooks) and callbacks of any operation.
func webhookOps(doc map[string]any) ([]webhookOp, []error) {
	var out []webhookOp
	var errs []error
	for _, section := range []string{"webhooks", "x-webhooks"} {
		hooks, _ := doc[section].(map[string]any)
		for _, key := range sortedKeys(hooks) {
			ptr := "/" + section + "/" + jsonpointer.Escape(key)
			op, err := deliveryOp(doc, hooks[key], ptr)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			op.key = key
			out = append(out, op)
		}
	}
	if len(out) == 0 {
		// Callbacks (OpenAPI 3.0 and 3.1): the deliveries a subscription
		// operation announces, keyed by the callback's name.
		paths, _ := doc["paths"].(map[string]any)
		for _, pth := range sortedKeys(paths) {
			item, _ := paths[pth].(map[string]any)
			for _, method := range sortedKeys(item) {
				opm, ok := item[method].(map[string]any)
				if !ok {
					continue
				}
				cbs, _ := opm["callbacks"].(map[string]any)
				for _, name := range sortedKeys(cbs) {
					base := "/paths/" + jsonpointer.Escape(pth) + "/" + method + "/callbacks/" + jsonpointer.Escape(name)
					cb, cbPtr := deref(doc, cbs[name], base)
					cbm, _ := cb.(map[string]any)
					for _, expr := range sortedKeys(cbm) {
						if strings.HasPrefix(expr, "x-") {
							continue
						}
						op, err := deliveryOp(doc, cbm[expr], cbPtr+"/"+jsonpointer.Escape(expr))
						if err != nil {
							errs = append(errs, err)
							continue
						}
						op.key = name
						out = append(out, op)
						break
					}
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out, errs
}

// deliveryOp reads the operation of a webhook path item: post, or else
// the only operation that has a request body.
func deliveryOp(doc map[string]any, item any, ptr string) (webhookOp, error) {
	v, at := deref(doc, item, ptr)
	m, ok := v.(map[string]any)
	if !ok {
		return webhookOp{}, &Error{Pointer: ptr, Err: errors.New("expected a path item object")}
	}
	for _, method := range []string{"post", "put", "patch"} {
		if op, ok := m[method].(map[string]any); ok {
			return webhookOp{ptr: ptr + "/" + method, op: op, opPtr: at + "/" + method, method: method}, nil
		}
	}
	return webhookOp{}, &Error{Pointer: ptr, Err: errors.New("expected a post operation")}
}

// deref follows a local $ref ("#/components/...") in the document, and
// returns the value and the pointer it was found at.
func deref(doc map[string]any, v any, ptr string) (any, string) {
	for range 16 {
		m, ok := v.(map[string]any)
		if !ok {
			return v, ptr
		}
		ref, ok := m["$ref"].(string)
		if !ok || !strings.HasPrefix(ref, "#/") {
			return v, ptr
		}
		target, ok := jsonpointer.Lookup(doc, ref[1:])
		if !ok {
			return v, ptr
		}
		v, ptr = target, ref[1:]
	}
	return v, ptr
}

// jsonMediaType picks the JSON media type of a content map: application/json,
// else any +json or json type, else nothing.
func jsonMediaType(content map[string]any) (string, bool) {
	if _, ok := content["application/json"]; ok {
		return "application/json", true
	}
	for _, k := range sortedKeys(content) {
		if strings.Contains(strings.ToLower(k), "json") || k == "*/*" {
			return k, true
		}
	}
	return "", false
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

package contracttest

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sort"
	"strings"

	"github.com/hookcontract/hookcontract/internal/contract"
)

// checkRefs finds a $ref in a provider's schema files that names no schema
// file, or no location inside one, and reports it at the reference itself.
// The loaders would report it too, but from the document that led them
// there and without saying which reference is broken.
func checkRefs(fsys fs.FS) error {
	dirs, err := fs.Glob(fsys, "*/openapi.yaml")
	if err != nil {
		return nil
	}
	for _, doc := range dirs {
		files, _ := fs.Glob(fsys, path.Join(path.Dir(doc), "schemas", "*.json"))
		sort.Strings(files)
		docs := map[string]any{}
		paths := map[string]string{}
		for _, f := range files {
			raw, err := fs.ReadFile(fsys, f)
			if err != nil {
				continue
			}
			var v any
			if json.Unmarshal(raw, &v) != nil {
				continue // the loader reports it
			}
			id := contract.SchemaBase + f
			if m, ok := v.(map[string]any); ok {
				if s, ok := m["$id"].(string); ok && s != "" {
					id = s
				}
			}
			docs[id], paths[id] = v, f
		}
		ids := make([]string, 0, len(docs))
		for id := range docs {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			base, err := url.Parse(id)
			if err != nil {
				continue
			}
			if err := walkRefs(docs[id], "", base, docs, paths[id]); err != nil {
				return err
			}
		}
	}
	return nil
}

func walkRefs(v any, ptr string, base *url.URL, docs map[string]any, file string) error {
	switch x := v.(type) {
	case map[string]any:
		if id, ok := x["$id"].(string); ok && ptr != "" {
			if u, err := base.Parse(id); err == nil {
				base = u
			}
		}
		if ref, ok := x["$ref"].(string); ok {
			if err := checkRef(ref, base, docs); err != nil {
				return &contract.Error{File: file, Pointer: ptr + "/$ref", Err: err}
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if k == "enum" || k == "const" || k == "examples" || k == "default" {
				continue // values, not schemas
			}
			if err := walkRefs(x[k], ptr+"/"+contract.EscapeToken(k), base, docs, file); err != nil {
				return err
			}
		}
	case []any:
		for i, item := range x {
			if err := walkRefs(item, fmt.Sprintf("%s/%d", ptr, i), base, docs, file); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkRef(ref string, base *url.URL, docs map[string]any) error {
	u, err := base.Parse(ref)
	if err != nil {
		return fmt.Errorf("$ref %q is not a URI reference: %w", ref, err)
	}
	frag := u.Fragment
	u.Fragment, u.RawFragment = "", ""
	doc, ok := docs[u.String()]
	if !ok {
		if u.Host == base.Host && strings.HasPrefix(u.Path, path.Dir(base.Path)) {
			return fmt.Errorf("$ref %q names no schema file: no file under schemas/ has $id %q", ref, u.String())
		}
		return fmt.Errorf("$ref %q leaves the spec directory: no file under schemas/ has $id %q", ref, u.String())
	}
	if frag == "" || !strings.HasPrefix(frag, "/") {
		return nil // the whole document, or an anchor
	}
	if _, ok := lookupPresent(doc, contract.SplitPointer(frag)); !ok {
		return fmt.Errorf("$ref %q: the schema file has no %s", ref, frag)
	}
	return nil
}

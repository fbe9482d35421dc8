package contracttest

import (
	"encoding/json"
	"io/fs"
	"path"
	"sort"

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
		set := contract.NewSchemas()
		for _, f := range files {
			raw, err := fs.ReadFile(fsys, f)
			if err != nil {
				continue
			}
			var head struct {
				ID string `json:"$id"`
			}
			if json.Unmarshal(raw, &head) != nil {
				continue // the loader reports it
			}
			id := contract.SchemaBase + f
			if head.ID != "" {
				id = head.ID
			}
			if set.Add(id, f, raw) != nil {
				continue // the loader reports it
			}
		}
		if err := set.CheckRefs(); err != nil {
			return err
		}
	}
	return nil
}

package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hookcontract/hookcontract/internal/contractdiff"
)

var suggestCommand = &command{
	name:    "suggest",
	summary: "propose contract changes from the drift and failures of payloads",
	usage:   "[flags] PATH...",
	about: `Proposes contract changes from the drift and failures of captured
payloads: properties the contract does not know (with the JSON types
seen), enum values it excludes, and expectations (x-hookcontract-expect)
that real data contradicts. The proposal is a unified diff of the schema
files, to review and apply (git apply, patch -p1, or --write); each
suggestion says which payloads motivate it, and one that loosens a
guarantee (an enum value) says so. A PATH is a file, an NDJSON file, a
directory of them (captures of 'hookcontract serve' included) or - for
stdin.`,
	examples: []string{
		"hookcontract suggest --specs specs captures/",
		"hookcontract suggest --specs specs captures/ > contract.patch && git apply contract.patch",
		"hookcontract suggest --specs specs --write captures/",
	},
	exits: []exitStatus{
		{ExitOK, "nothing to suggest (or --write applied it)"},
		{ExitFindings, "suggestions printed"},
		{ExitUsage, "bad usage, an unreadable input or a spec that does not load"},
	},
	define: defineSuggest,
}

func defineSuggest(fs *flag.FlagSet) func(*env, []string) int {
	var (
		format  = fs.String("format", "diff", "output `FORMAT`: diff (the reasons, then a unified diff) or json")
		specDir = fs.String("specs", "", "spec `DIR` to propose changes to (default: the embedded specs, which --write cannot change)")
		write   = fs.Bool("write", false, "apply the changes to the schema files under --specs")
	)
	return func(e *env, paths []string) int {
		stdin, stdout := e.stdin, e.stdout
		if !oneOf(*format, []string{"diff", "json"}) {
			return e.fail("unknown --format %q (expected diff or json)", *format)
		}
		if *write && *specDir == "" {
			return e.usageError("--write needs --specs DIR: the embedded specs cannot be changed")
		}
		if len(paths) == 0 {
			return e.usageError("expected the payloads to learn from as PATHs")
		}
		c, suite, err := loadContract(*specDir)
		if err != nil {
			return e.fail("%v", err)
		}
		res := contractdiff.Suggest(c, suite, paths, stdin)
		for _, err := range res.Errors {
			e.errorf("%v", err)
		}
		if len(res.Errors) > 0 {
			return ExitUsage
		}
		root := *specDir
		if root == "" {
			root = "specs"
		}
		patch, err := res.UnifiedDiff(filepath.ToSlash(root))
		if err != nil {
			return e.fail("%v", err)
		}
		switch *format {
		case "json":
			doc := struct {
				Version int `json:"version"`
				*contractdiff.Suggestions
				Diff string `json:"diff"`
			}{1, res, patch}
			if doc.Suggestions.Suggestions == nil {
				doc.Suggestions.Suggestions = []*contractdiff.Suggestion{}
			}
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			if err := enc.Encode(doc); err != nil {
				return e.fail("write report: %v", err)
			}
		default:
			for i, s := range res.Suggestions {
				fmt.Fprintf(stdout, "# %d. %s\n#    %s%s\n#    payloads: %s\n", i+1, s.Message, s.File, "#"+s.At, listPayloads(s))
			}
			if len(res.Suggestions) == 0 {
				fmt.Fprintf(stdout, "# nothing to suggest: no drift, enum failure or contradicted expectation (payloads checked: %d)\n", res.Payloads)
			}
			fmt.Fprint(stdout, patch)
		}
		if len(res.Suggestions) == 0 {
			return ExitOK
		}
		if !*write {
			return ExitFindings
		}
		for name, f := range res.Files {
			if err := writeAtomic(filepath.Join(*specDir, filepath.FromSlash(name)), f[1]); err != nil {
				return e.fail("write %s: %v", name, err)
			}
		}
		e.errorf("applied %d suggestions to %d files under %s", len(res.Suggestions), len(res.Files), *specDir)
		return ExitOK
	}
}

func listPayloads(s *contractdiff.Suggestion) string {
	out := ""
	for i, p := range s.Payloads {
		if i > 0 {
			out += ", "
		}
		out += p
	}
	if more := s.Count - len(s.Payloads); more > 0 {
		out += fmt.Sprintf(" and %d more", more)
	}
	return out
}

// writeAtomic replaces a file through a temporary file in its folder.
func writeAtomic(path string, data []byte) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".hookcontract-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(fi.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

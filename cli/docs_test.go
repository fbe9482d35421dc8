package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestCIRecipe parses the GitHub Actions workflow of docs/ci as YAML and
// checks its structure: triggers, a job with a runner and steps, each step
// either an action pinned to a version or a command; every hookcontract
// command it runs parses with that command's flags; and it runs
// `test --format github` on captures and `generate --check`.
func TestCIRecipe(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "docs", "ci", "hookcontract.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Name string                    `yaml:"name"`
		On   map[string]any            `yaml:"on"`
		Jobs map[string]map[string]any `yaml:"jobs"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(false)
	if err := dec.Decode(&wf); err != nil {
		t.Fatalf("docs/ci/hookcontract.yml: %v", err)
	}
	if wf.Name == "" || wf.On == nil || len(wf.Jobs) == 0 {
		t.Fatalf("workflow lacks name, on or jobs: %+v", wf)
	}
	if _, ok := wf.On["pull_request"]; !ok {
		t.Error("the workflow does not run on pull requests")
	}
	var commands [][]string
	for name, job := range wf.Jobs {
		if _, ok := job["runs-on"].(string); !ok {
			t.Errorf("job %s: no runs-on", name)
		}
		steps, ok := job["steps"].([]any)
		if !ok || len(steps) == 0 {
			t.Fatalf("job %s: no steps", name)
		}
		for i, s := range steps {
			step, ok := s.(map[string]any)
			if !ok {
				t.Fatalf("job %s step %d: not a mapping", name, i)
			}
			uses, hasUses := step["uses"].(string)
			run, hasRun := step["run"].(string)
			switch {
			case hasUses == hasRun:
				t.Errorf("job %s step %d: expected one of uses and run", name, i)
			case hasUses && !strings.Contains(uses, "@"):
				t.Errorf("job %s step %d: action %q not pinned to a version", name, i, uses)
			case hasRun:
				for _, line := range strings.Split(run, "\n") {
					f := strings.Fields(line)
					if len(f) >= 3 && f[0] == "go" && f[1] == "tool" && f[2] == "hookcontract" {
						commands = append(commands, f[3:])
					}
				}
			}
		}
	}
	var sawTest, sawCheck bool
	for _, args := range commands {
		if len(args) == 0 {
			t.Fatal("a step runs hookcontract without a command")
		}
		c := lookup(args[0])
		if c == nil || c.noFlags {
			t.Fatalf("the workflow runs an unknown command %q", args[0])
		}
		fs, _ := c.newFlagSet()
		pos, err := parseInterleaved(fs, args[1:])
		if err != nil {
			t.Errorf("hookcontract %s: %v", strings.Join(args, " "), err)
			continue
		}
		switch args[0] {
		case "test":
			if fs.Lookup("format").Value.String() == "github" && slices.Contains(pos, "captures/") {
				sawTest = true
			}
		case "generate":
			if fs.Lookup("check").Value.String() == "true" {
				sawCheck = true
			}
		}
	}
	if !sawTest || !sawCheck {
		t.Errorf("the workflow runs test --format github on captures: %t, generate --check: %t", sawTest, sawCheck)
	}
}

// TestREADMECommands: every hookcontract command line in the README's code
// blocks names a command of the table and parses with its flags.
func TestREADMECommands(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	inCode := false
	for i, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
			continue
		}
		line = strings.TrimPrefix(strings.TrimSpace(line), "$ ")
		if !inCode || !strings.HasPrefix(line, "hookcontract ") {
			continue
		}
		// The command line ends at a comment, a redirection or a pipe.
		for _, sep := range []string{" #", " >", " |", " &", " <"} {
			if j := strings.Index(line, sep); j >= 0 {
				line = line[:j]
			}
		}
		args := strings.Fields(line)[1:]
		c := lookup(args[0])
		if c == nil {
			t.Errorf("README.md:%d: unknown command %q", i+1, args[0])
			continue
		}
		seen[c.name] = true
		if c.noFlags {
			continue
		}
		fs, _ := c.newFlagSet()
		if _, err := parseInterleaved(fs, args[1:]); err != nil {
			t.Errorf("README.md:%d: hookcontract %s: %v", i+1, strings.Join(args, " "), err)
		}
	}
	for _, name := range []string{"test", "diff", "coverage", "suggest"} {
		if !seen[name] {
			t.Errorf("README.md shows no hookcontract %s command line", name)
		}
	}
}

package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestVersionSpellings: version, --version and -v all print the version.
func TestVersionSpellings(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}, {"-v"}, {"-version"}} {
		code, out, errs := run(t, args...)
		if code != ExitOK || !strings.HasPrefix(out, "hookcontract ") || errs != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	if code, _, errs := run(t, "version", "extra"); code != ExitUsage || !strings.Contains(errs, `unexpected argument "extra"`) {
		t.Errorf("version extra: exit %d, stderr %q", code, errs)
	}
}

// TestHelpOfEveryCommand: help <command>, <command> -h and <command> --help
// print the same manual, on stdout, with exit 0; every manual has a usage
// line, examples and exit statuses, and spells flags --flag.
func TestHelpOfEveryCommand(t *testing.T) {
	singleDash := regexp.MustCompile(`(?m)^  -[a-z]{2,}`)
	for _, c := range commands {
		t.Run(c.name, func(t *testing.T) {
			code, want, errs := run(t, "help", c.name)
			if code != ExitOK || errs != "" {
				t.Fatalf("help %s: exit %d, stderr %q", c.name, code, errs)
			}
			for _, section := range []string{"Usage: hookcontract " + c.name, "\nExit status:\n"} {
				if !strings.Contains(want, section) {
					t.Errorf("help %s lacks %q:\n%s", c.name, section, want)
				}
			}
			if c.name != "version" && !strings.Contains(want, "\nExamples:\n  hookcontract ") && !strings.Contains(want, "\nExamples:\n  source ") {
				t.Errorf("help %s has no examples:\n%s", c.name, want)
			}
			if singleDash.MatchString(want) {
				t.Errorf("help %s spells a flag -flag:\n%s", c.name, want)
			}
			for _, f := range c.flags() {
				if !strings.Contains(want, "  --"+f.name) {
					t.Errorf("help %s does not show --%s", c.name, f.name)
				}
			}
			for _, h := range []string{"-h", "--help"} {
				code, got, errs := run(t, c.name, h)
				if code != ExitOK || got != want || errs != "" {
					t.Errorf("%s %s: exit %d, stderr %q, stdout differs from help %s:\n%s", c.name, h, code, errs, c.name, got)
				}
			}
		})
	}
}

// TestUnknownFlagShortUsage: an unknown flag prints the error, spelled
// --flag, and that command's two-line usage, not its manual.
func TestUnknownFlagShortUsage(t *testing.T) {
	for _, c := range commands {
		if c.noFlags {
			continue
		}
		code, out, errs := run(t, c.name, "--colour")
		want := "hookcontract " + c.name + ": flag provided but not defined: --colour\nUsage: hookcontract " + c.name + " " + c.usage + "\nRun 'hookcontract help " + c.name + "' for its flags, examples and exit status.\n"
		if code != ExitUsage || out != "" || errs != want {
			t.Errorf("%s --colour: exit %d, stdout %q, stderr:\n%s\nwant:\n%s", c.name, code, out, errs, want)
		}
	}
	code, _, errs := run(t, "test", "--jobs", "many")
	if code != ExitUsage || !strings.Contains(errs, `invalid value "many" for flag --jobs`) {
		t.Errorf("test --jobs many: exit %d, stderr %q", code, errs)
	}
}

// TestContractCommandsInTable: diff, coverage and suggest are commands of
// the table, listed by help, with a manual, a short usage on a bad flag or
// a missing argument, and in every completion script.
func TestContractCommandsInTable(t *testing.T) {
	_, root, _ := run(t, "--help")
	for _, name := range []string{"diff", "coverage", "suggest"} {
		c := lookup(name)
		if c == nil {
			t.Fatalf("no %s in the commands table", name)
		}
		if !strings.Contains(root, "\n  "+name+" ") {
			t.Errorf("--help does not list %s", name)
		}
		short := "Usage: hookcontract " + name + " " + c.usage + "\nRun 'hookcontract help " + name + "' for its flags, examples and exit status.\n"
		code, out, errs := run(t, name, "--bogus")
		if code != ExitUsage || out != "" || errs != "hookcontract "+name+": flag provided but not defined: --bogus\n"+short {
			t.Errorf("%s --bogus: exit %d, stdout %q, stderr:\n%s", name, code, out, errs)
		}
		// Without its arguments, each says what is missing, then the short
		// usage, never the manual.
		code, out, errs = run(t, name)
		if code != ExitUsage || out != "" || !strings.HasSuffix(errs, short) || strings.Contains(errs, "Exit status:") || !strings.HasPrefix(errs, "hookcontract "+name+": expected ") {
			t.Errorf("%s without arguments: exit %d, stdout %q, stderr:\n%s", name, code, out, errs)
		}
		_, manual, _ := run(t, "help", name)
		for _, want := range []string{"Usage: hookcontract " + name + " [flags]", "\nFlags:\n  --", "\nExamples:\n  hookcontract " + name, "\nExit status:\n  0  "} {
			if !strings.Contains(manual, want) {
				t.Errorf("help %s lacks %q:\n%s", name, want, manual)
			}
		}
		for _, sh := range []string{"bash", "zsh", "fish"} {
			_, script, _ := run(t, "completion", sh)
			if !strings.Contains(script, name) {
				t.Errorf("completion %s lacks %s", sh, name)
			}
		}
	}
	if _, manual, _ := run(t, "help", "diff"); !strings.Contains(manual, "  --fail-on CLASSES") || !strings.Contains(manual, "\n       hookcontract diff [flags] --against ") {
		t.Errorf("help diff lacks --fail-on or the --against form:\n%s", manual)
	}
}

func TestUnknownCommandAndHelp(t *testing.T) {
	code, out, errs := run(t, "tset")
	if code != ExitUsage || out != "" || !strings.Contains(errs, `unknown command "tset"`) || strings.Contains(errs, "Commands:") {
		t.Errorf("tset: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, _, errs = run(t, "help", "tset")
	if code != ExitUsage || !strings.Contains(errs, `unknown command "tset" (commands: test, generate`) {
		t.Errorf("help tset: exit %d, stderr %q", code, errs)
	}
	code, out, _ = run(t, "help")
	if _, root, _ := run(t, "--help"); code != ExitOK || out != root {
		t.Errorf("help and --help differ")
	}
	if code, out, errs := run(t); code != ExitUsage || out != "" || !strings.Contains(errs, "Commands:") {
		t.Errorf("no command: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	for _, c := range commands {
		if !strings.Contains(out, "\n  "+c.name+" ") {
			t.Errorf("--help does not list %s", c.name)
		}
	}
}

// TestCompletionScripts: each script names every command and every flag
// of the table; bash's parses and, run, completes a command's flags.
func TestCompletionScripts(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		code, script, errs := run(t, "completion", sh)
		if code != ExitOK || errs != "" {
			t.Fatalf("completion %s: exit %d, stderr %q", sh, code, errs)
		}
		for _, c := range commands {
			if !strings.Contains(script, c.name) {
				t.Errorf("completion %s lacks command %s", sh, c.name)
			}
			for _, f := range c.flags() {
				word := "--" + f.name
				if sh == "fish" {
					word = "-l " + f.name
				}
				if !strings.Contains(script, word) {
					t.Errorf("completion %s lacks %s %s", sh, c.name, word)
				}
			}
		}
		if strings.Count(script, "'")%2 != 0 && sh != "fish" {
			t.Errorf("completion %s: unbalanced quotes", sh)
		}
	}
	if code, _, errs := run(t, "completion", "powershell"); code != ExitUsage || !strings.Contains(errs, `unknown shell "powershell"`) {
		t.Errorf("completion powershell: exit %d, stderr %q", code, errs)
	}
	if code, _, _ := run(t, "completion"); code != ExitUsage {
		t.Errorf("completion without shell: exit %d", code)
	}

	shellRun := func(script, shell string, args ...string) string {
		t.Helper()
		dir := t.TempDir()
		file := filepath.Join(dir, "completion")
		if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
		// FILE in args stands for the script's path.
		cmd := exec.Command(shell, args...)
		for i, a := range cmd.Args {
			cmd.Args[i] = strings.ReplaceAll(a, "FILE", file)
		}
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", shell, args, err, out)
		}
		return string(out)
	}
	// zsh and fish, when installed: the scripts parse; fish's completes.
	if zsh, err := exec.LookPath("zsh"); err == nil {
		_, script, _ := run(t, "completion", "zsh")
		shellRun(script, zsh, "-n", "FILE")
		if got := shellRun(script, zsh, "-f", "-c", "autoload -U compinit; compinit -u -D; source FILE; print -r -- ${_comps[hookcontract]}"); got != "_hookcontract\n" {
			t.Errorf("zsh: the completion is not registered for hookcontract: %q", got)
		}
	} else {
		t.Log("no zsh: its completion script is checked for content only")
	}
	if fish, err := exec.LookPath("fish"); err == nil {
		_, script, _ := run(t, "completion", "fish")
		shellRun(script, fish, "-n", "FILE")
		got := shellRun(script, fish, "-c", "source FILE; complete -C 'hookcontract te'; complete -C 'hookcontract test --for'; complete -C 'hookcontract completion z'")
		want := "test\tcheck webhook payloads against the contracts\n--format\toutput FORMAT: text, json, junit or github (default text)\nzsh\n"
		if got != want {
			t.Errorf("fish completions:\n%q\nwant\n%q", got, want)
		}
	} else {
		t.Log("no fish: its completion script is checked for content only")
	}

	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash to run the bash completion")
	}
	_, script, _ := run(t, "completion", "bash")
	complete := func(words ...string) string {
		t.Helper()
		prog := script + "\nCOMP_WORDS=(" + strings.Join(quoteAll(words), " ") + ")\nCOMP_CWORD=" + strconv.Itoa(len(words)-1) + "\n_hookcontract\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
		cmd := exec.Command(bash, "--norc", "--noprofile", "-c", prog)
		cmd.Dir = t.TempDir()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("bash completion of %v: %v\n%s", words, err, out)
		}
		return string(out)
	}
	if got := complete("hookcontract", "te"); got != "test\n" {
		t.Errorf("hookcontract te<TAB> = %q", got)
	}
	if got := complete("hookcontract", "test", "--for"); got != "--format\n" {
		t.Errorf("hookcontract test --for<TAB> = %q", got)
	}
	if got := complete("hookcontract", "send", "--dry"); got != "--dry-run\n" {
		t.Errorf("hookcontract send --dry<TAB> = %q", got)
	}
	if got := complete("hookcontract", "diff", "--fail"); got != "--fail-on\n" {
		t.Errorf("hookcontract diff --fail<TAB> = %q", got)
	}
	if got := complete("hookcontract", "su"); got != "suggest\n" {
		t.Errorf("hookcontract su<TAB> = %q", got)
	}
	if got := complete("hookcontract", "coverage", "--val"); got != "--values\n" {
		t.Errorf("hookcontract coverage --val<TAB> = %q", got)
	}
	if got := complete("hookcontract", "completion", "z"); got != "zsh\n" {
		t.Errorf("hookcontract completion z<TAB> = %q", got)
	}
}

func quoteAll(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = "'" + w + "'"
	}
	return out
}

// TestErrorsBeforeSummary: with stdout and stderr on one terminal, an
// input that cannot be read is said before the summary line, which counts
// it, so no summary reads as the last word.
func TestErrorsBeforeSummary(t *testing.T) {
	var both bytes.Buffer
	code := Run([]string{"test", "testdata/payloads/no-such-file.json"}, nil, &both, &both)
	want := "hookcontract test: read testdata/payloads/no-such-file.json: no such file or directory\n0 passed, 0 failed, 1 input error\n"
	if code != ExitUsage || both.String() != want {
		t.Errorf("exit %d, output:\n%s\nwant:\n%s", code, both.String(), want)
	}
}

// TestSymlinkedDirectoryFollowed: test follows a link to a directory of
// captures, and a link back up the tree is skipped, said and counted.
func TestSymlinkedDirectoryFollowed(t *testing.T) {
	root, elsewhere := t.TempDir(), t.TempDir()
	body, err := os.ReadFile("testdata/payloads/mixed/tickets-created.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(elsewhere, "t.json"), body, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, filepath.Join(root, "captures")); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
	if err := os.Symlink(root, filepath.Join(elsewhere, "up")); err != nil { // a loop
		t.Fatal(err)
	}
	code, out, errs := run(t, "test", root)
	want := "skipped " + filepath.Join(root, "captures", "up") + ": a link to a directory already walked\n1 passed, 0 failed, 1 skipped\n"
	if code != ExitOK || out != want || errs != "" {
		t.Errorf("exit %d, stdout:\n%s\nwant:\n%s\nstderr: %s", code, out, want, errs)
	}
}

// TestGenerateReadsConfigByDefault: generate with no flag reads
// ./hookcontract.yaml; --check then finds it up to date.
func TestGenerateReadsConfigByDefault(t *testing.T) {
	dir := t.TempDir()
	cfg := "version: \"1\"\npackages:\n  - {provider: tickets, package: tickets, out: gen/tickets}\n"
	if err := os.WriteFile(filepath.Join(dir, "hookcontract.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	if code, out, errs := run(t, "generate"); code != ExitOK || out != "" || errs != "" {
		t.Fatalf("generate: exit %d\n%s%s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "gen", "tickets", "hookcontract_events.go")); err != nil {
		t.Fatalf("nothing generated: %v", err)
	}
	if code, out, errs := run(t, "generate", "--check"); code != ExitOK {
		t.Fatalf("generate --check: exit %d\n%s%s", code, out, errs)
	}
	if err := os.Remove(filepath.Join(dir, "gen", "tickets", "hookcontract_events.go")); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := run(t, "generate", "--check"); code != ExitFindings || !strings.Contains(out, "hookcontract_events.go") {
		t.Fatalf("generate --check after a removal: exit %d\n%s", code, out)
	}
}

// TestGenerateCatalog: a config package can be a JSON Schema catalog, its
// events listed by a keyword of its files and carried in a header; a
// root $id two files share is a warning naming the second file, by its
// path from the config's folder.
func TestGenerateCatalog(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"hookcontract.yaml": "version: \"1\"\npackages:\n  - {catalog: vendor, package: vendor, out: gen/vendor, events: {header: ce-type, keyword: eventTypes}}\n",
		"vendor/a.json":     `{"$schema": "http://json-schema.org/draft-07/schema", "$id": "http://example.com/example.json", "eventTypes": ["a.created", "a.deleted"], "type": "object"}`,
		"vendor/b.json":     `{"$schema": "http://json-schema.org/draft-07/schema", "$id": "http://example.com/example.json", "eventTypes": ["b.created"], "type": "object"}`,
	}
	for name, data := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	code, out, errs := run(t, "generate")
	if code != ExitOK || out != "" || !strings.Contains(errs, "warning: vendor/b.json") || !strings.Contains(errs, "http://example.com/example.json") {
		t.Fatalf("generate: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	events, err := os.ReadFile(filepath.Join(dir, "gen", "vendor", "hookcontract_events.go"))
	if err != nil {
		t.Fatalf("nothing generated: %v", err)
	}
	for _, name := range []string{`"a.created"`, `"a.deleted"`, `"b.created"`} {
		if !bytes.Contains(events, []byte(name)) {
			t.Errorf("generated events lack %s", name)
		}
	}
}

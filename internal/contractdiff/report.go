package contractdiff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/hookcontract/hookcontract/contracttest"
)

// Formats a diff report can be written in.
var Formats = []string{"github", "json", "markdown", "text"}

// Report is a diff ready to be written.
type Report struct {
	Old, New string // the sources as given
	Result   *Result
	Blast    *BlastRadius // nil without captures
	FailOn   []Class
}

// JSONReport is the json format's document.
type JSONReport struct {
	Version        int             `json:"version"` // 1
	Old            string          `json:"old"`
	New            string          `json:"new"`
	Changes        []Change        `json:"changes"`
	Summary        map[Class]int   `json:"summary"`
	FailOn         []Class         `json:"fail_on"`
	Failed         bool            `json:"failed"`
	Warnings       []string        `json:"warnings,omitempty"`
	Payloads       *int            `json:"payloads,omitempty"`
	VerdictChanges []VerdictChange `json:"verdict_changes,omitempty"`
	Events         []EventCounts   `json:"events,omitempty"`
}

// Write writes the report in one of Formats.
func (r *Report) Write(w io.Writer, format string) error {
	switch format {
	case "json":
		return r.writeJSON(w)
	case "markdown":
		return r.writeMarkdown(w)
	case "github":
		return r.writeGitHub(w)
	case "text":
		return r.writeText(w)
	}
	return fmt.Errorf("unknown format %q", format)
}

func (r *Report) writeJSON(w io.Writer) error {
	doc := JSONReport{Version: 1, Old: r.Old, New: r.New, Changes: r.Result.Changes, Summary: r.Result.Summary(),
		FailOn: r.FailOn, Failed: r.Result.Fails(r.FailOn), Warnings: r.Result.Warnings}
	if doc.Changes == nil {
		doc.Changes = []Change{}
	}
	if r.Blast != nil {
		n := r.Blast.Payloads
		doc.Payloads = &n
		doc.VerdictChanges = r.Blast.Changes
		if doc.VerdictChanges == nil {
			doc.VerdictChanges = []VerdictChange{}
		}
		doc.Events = r.Blast.Events
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

func classList(cs []Class) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, ",")
}

func where(c *Change) string {
	s := c.Provider
	if c.Event != "" {
		s += " " + c.Event
	}
	if c.Form != "" {
		s += " (" + c.Form + ")"
	}
	if c.Pointer != "" {
		s += " " + c.Pointer
	}
	return s
}

func (r *Report) summaryLine() string {
	sum := r.Result.Summary()
	parts := make([]string, len(AllClasses))
	for i, c := range AllClasses {
		parts[i] = fmt.Sprintf("%d %s", sum[c], c)
	}
	n := len(r.Result.Changes)
	return fmt.Sprintf("%d %s (%s)", n, plural(n, "change", "changes"), strings.Join(parts, ", "))
}

func (r *Report) writeText(w io.Writer) error {
	ew := &bytes.Buffer{}
	for i := range r.Result.Changes {
		c := &r.Result.Changes[i]
		fmt.Fprintf(ew, "%s: %s [%s]\n", where(c), c.Message, classList(c.Classes))
	}
	for _, warn := range r.Result.Warnings {
		fmt.Fprintf(ew, "warning: %s\n", warn)
	}
	fmt.Fprintf(ew, "%s\n", r.summaryLine())
	if r.Blast != nil {
		fmt.Fprintf(ew, "\n%s\n", r.blastLine())
		for _, v := range r.Blast.Changes {
			fmt.Fprintf(ew, "%s: %s %s: %s -> %s\n", loc(v), orUnknown(v.Provider), orUnknown(v.Event), v.Old, v.New)
		}
		for _, e := range r.Blast.Events {
			fmt.Fprintf(ew, "%s %s: old %s; new %s%s\n", orUnknown(e.Provider), orUnknown(e.Event), counts(e.Old), counts(e.New), transitions(e.Transitions))
		}
	}
	_, err := w.Write(ew.Bytes())
	return err
}

func (r *Report) blastLine() string {
	n := len(r.Blast.Changes)
	return fmt.Sprintf("blast radius: %d of %d %s change verdict", n, r.Blast.Payloads, plural(r.Blast.Payloads, "payload", "payloads"))
}

func loc(v VerdictChange) string {
	if v.Line > 0 {
		return fmt.Sprintf("%s:%d", v.Path, v.Line)
	}
	return v.Path
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

func counts(s contracttest.Summary) string {
	return fmt.Sprintf("%d passed, %d drift, %d failed", s.Passed, s.Drift, s.Failed)
}

func transitions(t map[string]int) string {
	if len(t) == 0 {
		return ""
	}
	keys := slices.Sorted(maps.Keys(t))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, t[k])
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// mdCell escapes a markdown table cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;").Replace(s)
}

func code(s string) string {
	if s == "" {
		return ""
	}
	return "`" + strings.ReplaceAll(s, "`", "'") + "`"
}

func (r *Report) writeMarkdown(w io.Writer) error {
	ew := &bytes.Buffer{}
	fmt.Fprintf(ew, "### Contract changes: %s → %s\n\n", mdCell(code(r.Old)), mdCell(code(r.New)))
	fmt.Fprintf(ew, "%s", mdCell(r.summaryLine()))
	if r.Result.Fails(r.FailOn) {
		fmt.Fprintf(ew, ": **fails** on %s", classList(r.FailOn))
	}
	fmt.Fprintf(ew, "\n\n")
	if len(r.Result.Changes) > 0 {
		fmt.Fprintf(ew, "| provider | event | pointer | classes | change |\n| --- | --- | --- | --- | --- |\n")
		for i := range r.Result.Changes {
			c := &r.Result.Changes[i]
			fmt.Fprintf(ew, "| %s | %s | %s | %s | %s |\n", mdCell(c.Provider), mdCell(code(c.Event)), mdCell(code(c.Pointer)), classList(c.Classes), mdCell(c.Message))
		}
		fmt.Fprintf(ew, "\n")
	}
	for _, warn := range r.Result.Warnings {
		fmt.Fprintf(ew, "> warning: %s\n", mdCell(warn))
	}
	if r.Blast != nil {
		fmt.Fprintf(ew, "#### Blast radius\n\n%s.\n\n", r.blastLine())
		if len(r.Blast.Events) > 0 {
			fmt.Fprintf(ew, "| provider | event | old | new | changed |\n| --- | --- | --- | --- | --- |\n")
			for _, e := range r.Blast.Events {
				fmt.Fprintf(ew, "| %s | %s | %s | %s | %s |\n", mdCell(orUnknown(e.Provider)), mdCell(code(e.Event)), counts(e.Old), counts(e.New), mdCell(fmt.Sprint(e.Changed)+transitions(e.Transitions)))
			}
			fmt.Fprintf(ew, "\n")
		}
		if len(r.Blast.Changes) > 0 {
			fmt.Fprintf(ew, "<details><summary>Payloads whose verdict changes</summary>\n\n| payload | event | old | new |\n| --- | --- | --- | --- |\n")
			for _, v := range r.Blast.Changes {
				fmt.Fprintf(ew, "| %s | %s | %s | %s |\n", mdCell(code(loc(v))), mdCell(code(v.Event)), v.Old, v.New)
			}
			fmt.Fprintf(ew, "\n</details>\n")
		}
	}
	_, err := w.Write(ew.Bytes())
	return err
}

func (r *Report) writeGitHub(w io.Writer) error {
	ew := &bytes.Buffer{}
	for i := range r.Result.Changes {
		c := &r.Result.Changes[i]
		level := "warning"
		for _, f := range r.FailOn {
			if c.Has(f) {
				level = "error"
			}
		}
		props := ""
		if c.File != "" {
			props = "file=" + contracttest.GitHubProperty(c.File) + ","
		}
		title := "contract " + classList(c.Classes)
		fmt.Fprintf(ew, "::%s %stitle=%s::%s\n", level, props, contracttest.GitHubProperty(title), contracttest.GitHubData(where(c)+": "+c.Message))
	}
	for _, warn := range r.Result.Warnings {
		fmt.Fprintf(ew, "::warning title=hookcontract diff::%s\n", contracttest.GitHubData(warn))
	}
	if r.Blast != nil {
		for _, v := range r.Blast.Changes {
			props := "file=" + contracttest.GitHubProperty(v.Path)
			if v.Line > 0 {
				props += fmt.Sprintf(",line=%d", v.Line)
			}
			fmt.Fprintf(ew, "::notice %s,title=verdict %s->%s::%s\n", props, v.Old, v.New, contracttest.GitHubData(orUnknown(v.Provider)+" "+orUnknown(v.Event)+": verdict changes from "+string(v.Old)+" to "+string(v.New)))
		}
		fmt.Fprintf(ew, "%s\n", r.blastLine())
	}
	fmt.Fprintf(ew, "%s\n", r.summaryLine())
	_, err := w.Write(ew.Bytes())
	return err
}

package contracttest

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Formats a report can be written in.
var Formats = []string{"text", "json", "junit", "github"}

// Write writes the report in one of Formats.
func (r *Report) Write(w io.Writer, format string, strict bool) error {
	switch format {
	case "text":
		return r.writeText(w, strict)
	case "json":
		return r.writeJSON(w, strict)
	case "junit":
		return r.writeJUnit(w, strict)
	case "github":
		return r.writeGitHub(w, strict)
	}
	return fmt.Errorf("unknown format %q (expected %s)", format, strings.Join(Formats, ", "))
}

func (r *Result) title() string {
	switch {
	case r.Provider == "" && r.Event == "":
		return "unknown"
	case r.Event == "":
		return r.Provider + "/?"
	}
	t := r.Provider + "/" + r.Event
	if r.Qualifier != "" {
		t += " (" + r.Qualifier + ")"
	}
	return t
}

// classname is a result's JUnit class: provider.event.
func (r *Result) classname() string {
	switch {
	case r.Provider == "" && r.Event == "":
		return "unknown"
	case r.Event == "":
		return r.Provider
	}
	return r.Provider + "." + r.Event
}

func (r *Report) writeText(w io.Writer, strict bool) error {
	ew := &errWriter{w: w}
	for i := range r.Results {
		res := &r.Results[i]
		if res.Verdict == Pass {
			continue
		}
		label := "drift"
		if strict {
			label = "drift, fails with --strict"
		}
		if res.Verdict == Drift {
			ew.printf("%s  %s  [%s]\n", res.Location(), res.title(), label)
			for _, u := range res.Unknown {
				ew.printf("  %s: property not in the contract [drift]\n", u)
			}
			for _, v := range res.Violations {
				ew.printf("  %s: %s [%s, expected]\n", orRoot(v.Pointer), v.Message, v.Keyword)
			}
			continue
		}
		ew.printf("%s  %s\n", res.Location(), res.title())
		for _, v := range res.Violations {
			ew.printf("  %s: %s [%s]\n", orRoot(v.Pointer), v.Message, v.Keyword)
		}
	}
	ew.printf("%s", r.summaryLines(strict))
	return ew.err
}

// summaryLines end the text and github reports: a line on drift when there
// is some, then `N passed, N failed`, where drift counts as passed, or with
// strict as failed.
func (r *Report) summaryLines(strict bool) string {
	s := r.Summary()
	var b strings.Builder
	if s.Drift > 0 {
		what := "payload carries"
		if s.Drift > 1 {
			what = "payloads carry"
		}
		how := "passed"
		if strict {
			how = "failed with --strict"
		}
		fmt.Fprintf(&b, "drift: %d %s properties the contract does not know or break its expectations (counted as %s)\n", s.Drift, what, how)
	}
	if strict {
		fmt.Fprintf(&b, "%d passed, %d failed\n", s.Passed, s.Failed+s.Drift)
	} else {
		fmt.Fprintf(&b, "%d passed, %d failed\n", s.Passed+s.Drift, s.Failed)
	}
	return b.String()
}

// JSONReport is the document written by --format json.
type JSONReport struct {
	Version int      `json:"version"` // 1
	Strict  bool     `json:"strict"`
	OK      bool     `json:"ok"`
	Summary Summary  `json:"summary"`
	Results []Result `json:"results"`
	Errors  []string `json:"errors,omitempty"`
}

func (r *Report) writeJSON(w io.Writer, strict bool) error {
	doc := JSONReport{Version: 1, Strict: strict, OK: r.OK(strict) && len(r.Errors) == 0, Summary: r.Summary(), Results: r.Results}
	if doc.Results == nil {
		doc.Results = []Result{}
	}
	for _, e := range r.Errors {
		doc.Errors = append(doc.Errors, e.Error())
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

type junitText struct {
	Text string `xml:",cdata"`
}

func (r *Report) writeJUnit(w io.Writer, strict bool) error {
	suite := junitSuite{Name: "hookcontract"}
	for i := range r.Results {
		res := &r.Results[i]
		c := junitCase{Name: res.Location(), Classname: res.classname()}
		var b strings.Builder
		switch {
		case res.Verdict == Fail:
			for _, v := range res.Violations {
				fmt.Fprintf(&b, "%s: %s [%s]\n", orRoot(v.Pointer), v.Message, v.Keyword)
			}
			c.Failure = &junitFailure{Message: fmt.Sprintf("%d violation(s)", len(res.Violations)), Type: "violation", Text: b.String()}
		case res.Verdict == Drift:
			for _, u := range res.Unknown {
				fmt.Fprintf(&b, "%s: property not in the contract [drift]\n", u)
			}
			for _, v := range res.Violations {
				fmt.Fprintf(&b, "%s: %s [%s, expected]\n", orRoot(v.Pointer), v.Message, v.Keyword)
			}
			if strict {
				c.Failure = &junitFailure{Message: fmt.Sprintf("%d unknown property(ies), %d expectation(s) broken", len(res.Unknown), len(res.Violations)), Type: "drift", Text: b.String()}
			} else {
				c.SystemOut = &junitText{b.String()}
			}
		}
		if c.Failure != nil {
			suite.Failures++
		}
		suite.Cases = append(suite.Cases, c)
	}
	for _, e := range r.Errors {
		suite.Errors++
		suite.Cases = append(suite.Cases, junitCase{Name: e.Error(), Classname: "input", Failure: &junitFailure{Message: e.Error(), Type: "error"}})
	}
	suite.Tests = len(suite.Cases)
	doc := junitSuites{Tests: suite.Tests, Failures: suite.Failures, Errors: suite.Errors, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func (r *Report) writeGitHub(w io.Writer, strict bool) error {
	ew := &errWriter{w: w}
	for i := range r.Results {
		res := &r.Results[i]
		loc := "file=" + ghProperty(res.Source)
		if res.Line > 0 {
			loc += ",line=" + strconv.Itoa(res.Line)
		}
		switch res.Verdict {
		case Fail:
			for _, v := range res.Violations {
				vloc := loc
				switch {
				case res.Line > 0 && v.Column > 0:
					vloc += ",col=" + strconv.Itoa(v.Column)
				case res.Line == 0 && v.Line > 0:
					vloc += ",line=" + strconv.Itoa(v.Line) + ",col=" + strconv.Itoa(v.Column)
				}
				ew.printf("::error %s,title=%s::%s\n", vloc, ghProperty(res.title()), ghData(fmt.Sprintf("%s: %s [%s]", orRoot(v.Pointer), v.Message, v.Keyword)))
			}
		case Drift:
			level := "warning"
			if strict {
				level = "error"
			}
			for _, u := range res.Unknown {
				ew.printf("::%s %s,title=%s::%s\n", level, loc, ghProperty(res.title()), ghData(u+": property not in the contract [drift]"))
			}
			for _, v := range res.Violations {
				ew.printf("::%s %s,title=%s::%s\n", level, loc, ghProperty(res.title()), ghData(fmt.Sprintf("%s: %s [%s, expected]", orRoot(v.Pointer), v.Message, v.Keyword)))
			}
		}
	}
	for _, e := range r.Errors {
		ew.printf("::error title=hookcontract::%s\n", ghData(e.Error()))
	}
	ew.printf("%s", r.summaryLines(strict))
	return ew.err
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, a ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, a...)
	}
}

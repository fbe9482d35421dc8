package schemagen

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// Problem is one thing wrong with a schema (or, as a warning, one thing
// the compiler did not enforce), located in its source file.
type Problem struct {
	File    string // the source name given to Set.Add
	Line    int    // 1-based line of the offending value; 0 when unknown
	Column  int    // 1-based column (in characters); 0 when unknown
	Pointer string // JSON pointer of the offending value in File ("" is the whole document)
	Message string
}

// String renders p as file:line:col: pointer: message, the form editors
// jump to.
func (p Problem) String() string {
	ptr := p.Pointer
	if ptr == "" {
		ptr = "/"
	}
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s: %s", p.File, p.Line, p.Column, ptr, p.Message)
	}
	return fmt.Sprintf("%s: %s: %s", p.File, ptr, p.Message)
}

// CompileError lists every problem Compile found in the schemas the roots
// reach, in file and position order.
type CompileError struct {
	Problems []Problem
}

func (e *CompileError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// schemaError is a problem found while compiling the schema at loc.
type schemaError struct {
	loc location
	ptr string // below loc.ptr
	msg string
	err error // wrapped, may be nil
}

func (e *schemaError) Error() string { return e.msg }
func (e *schemaError) Unwrap() error { return e.err }

// errorf builds a problem at ptr below loc; a %w verb wraps its error.
func errorf(loc location, ptr, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &schemaError{loc: loc, ptr: ptr, msg: err.Error(), err: unwrapOne(err)}
}

func unwrapOne(err error) error {
	if u, ok := err.(interface{ Unwrap() error }); ok {
		return u.Unwrap()
	}
	return nil
}

// problem is a reported problem with the node it belongs to.
type problem struct {
	doc     *document
	ptr     string
	msg     string
	node    string // location key of the schema being compiled
	warning bool
}

// report records err (a *schemaError or another error) against the
// schema at loc.
func (c *compiler) report(loc location, err error, warning bool) {
	p := problem{doc: loc.doc, ptr: loc.ptr, msg: err.Error(), node: loc.key(), warning: warning}
	if se, ok := err.(*schemaError); ok {
		p.doc, p.ptr, p.msg = se.loc.doc, se.loc.ptr+se.ptr, se.msg
	}
	k := p.doc.id + "#" + p.ptr + "\x00" + p.msg
	if c.seenProblem[k] {
		return
	}
	c.seenProblem[k] = true
	c.problems = append(c.problems, p)
}

// warn records a warning at ptr below loc.
func (c *compiler) warn(loc location, ptr, format string, args ...any) {
	c.report(loc, errorf(loc, ptr, format, args...), true)
}

// located turns problems into Problems with line and column, sorted.
func located(list []problem) []Problem {
	byDoc := map[*document][]int{}
	for i, p := range list {
		byDoc[p.doc] = append(byDoc[p.doc], i)
	}
	out := make([]Problem, len(list))
	offsets := make([]int, len(list))
	for doc, idx := range byDoc {
		want := map[string]bool{}
		for _, i := range idx {
			want[list[i].ptr] = true
		}
		var pos map[string]int
		if doc.locate == nil {
			pos = valueOffsets(doc.raw, want)
		}
		for _, i := range idx {
			p := list[i]
			out[i] = Problem{File: doc.source, Pointer: p.ptr, Message: p.msg}
			offsets[i] = -1
			if doc.locate != nil {
				out[i].Line, out[i].Column = doc.locate(p.ptr)
				offsets[i] = out[i].Line<<20 | out[i].Column
			} else if at, ok := pos[p.ptr]; ok {
				out[i].Line, out[i].Column = lineColumn(doc.raw, at)
				offsets[i] = at
			}
		}
	}
	order := make([]int, len(list))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := out[order[a]], out[order[b]]
		if x.File != y.File {
			return x.File < y.File
		}
		if offsets[order[a]] != offsets[order[b]] {
			return offsets[order[a]] < offsets[order[b]]
		}
		return x.Pointer < y.Pointer
	})
	sorted := make([]Problem, len(list))
	for i, j := range order {
		sorted[i] = out[j]
	}
	return sorted
}

// valueOffsets finds the byte offset at which the value at each wanted
// JSON pointer starts in data (valid JSON), in one pass.
func valueOffsets(data []byte, want map[string]bool) map[string]int {
	out := map[string]int{}
	if len(want) == 0 {
		return out
	}
	prefixes := map[string]bool{}
	for w := range want {
		for p := w; ; {
			prefixes[p] = true
			i := strings.LastIndexByte(p, '/')
			if i < 0 {
				break
			}
			p = p[:i]
		}
	}
	sc := &posScanner{data: data, want: want, prefixes: prefixes, out: out}
	sc.ws()
	sc.value("")
	return out
}

type posScanner struct {
	data     []byte
	pos      int
	want     map[string]bool
	prefixes map[string]bool // every wanted pointer and its ancestors
	out      map[string]int
}

func (s *posScanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// prefixWanted reports whether some wanted pointer lies at or below ptr.
func (s *posScanner) prefixWanted(ptr string) bool { return s.prefixes[ptr] }

func (s *posScanner) value(ptr string) {
	if s.pos >= len(s.data) {
		return
	}
	if s.want[ptr] {
		s.out[ptr] = s.pos
	}
	switch s.data[s.pos] {
	case '{':
		s.pos++
		descend := s.prefixWanted(ptr)
		for {
			s.ws()
			if s.pos >= len(s.data) || s.data[s.pos] == '}' {
				s.pos++
				return
			}
			if s.data[s.pos] == ',' {
				s.pos++
				continue
			}
			start := s.pos
			s.skipString()
			var key string
			if err := json.Unmarshal(s.data[start:s.pos], &key); err != nil {
				return
			}
			s.ws()
			s.pos++ // ':'
			s.ws()
			if descend {
				s.value(ptr + "/" + jsonpointer.Escape(key))
			} else {
				s.skip()
			}
		}
	case '[':
		s.pos++
		descend := s.prefixWanted(ptr)
		for i := 0; ; {
			s.ws()
			if s.pos >= len(s.data) || s.data[s.pos] == ']' {
				s.pos++
				return
			}
			if s.data[s.pos] == ',' {
				s.pos++
				continue
			}
			if descend {
				s.value(ptr + "/" + strconv.Itoa(i))
			} else {
				s.skip()
			}
			i++
		}
	default:
		s.skip()
	}
}

// skip moves past one value without recording anything.
func (s *posScanner) skip() {
	if s.pos >= len(s.data) {
		return
	}
	switch s.data[s.pos] {
	case '"':
		s.skipString()
	case '{', '[':
		depth := 0
		for s.pos < len(s.data) {
			switch s.data[s.pos] {
			case '"':
				s.skipString()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.pos++
					return
				}
			}
			s.pos++
		}
	default:
		for s.pos < len(s.data) && !strings.ContainsRune(",}] \t\n\r", rune(s.data[s.pos])) {
			s.pos++
		}
	}
}

func (s *posScanner) skipString() {
	s.pos++ // opening quote
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case '\\':
			s.pos += 2
			continue
		case '"':
			s.pos++
			return
		}
		s.pos++
	}
}

// lineColumn turns a byte offset into a 1-based line and column (columns
// count characters).
func lineColumn(data []byte, at int) (line, col int) {
	line, start := 1, 0
	for i := 0; i < at && i < len(data); i++ {
		if data[i] == '\n' {
			line, start = line+1, i+1
		}
	}
	return line, utf8.RuneCount(data[start:min(at, len(data))]) + 1
}

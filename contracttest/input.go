package contracttest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hookcontract/hookcontract/internal/capture"
)

// Payload is one payload read from an input.
type Payload struct {
	Source string // file name as given (or found under a directory), "-" for stdin
	Line   int    // 1-based line in an NDJSON file, 0 for a whole-file payload
	Data   []byte
	// Provider is set for a capture of `hookcontract serve`: the provider
	// whose path the body was posted to.
	Provider string
}

// InputError is an input that could not be read. The run goes on with the
// other inputs and ends with exit status 2.
type InputError struct {
	Path string
	Err  error
}

func (e *InputError) Error() string { return fmt.Sprintf("read %s: %v", e.Path, e.Err) }
func (e *InputError) Unwrap() error { return e.Err }

// IsNDJSON tells whether a file name holds one payload per line.
func IsNDJSON(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".ndjson" || ext == ".jsonl"
}

func isPayloadFile(name string) bool {
	return strings.EqualFold(filepath.Ext(name), ".json") || IsNDJSON(name)
}

// ExpandPaths turns the paths given on a command line into the list of
// files to read: a file stands for itself (whatever its name), "-" for
// stdin, and a directory for every .json, .ndjson and .jsonl regular file
// under it, walked recursively in lexical order. Under a directory,
// symbolic links to files are followed and links to directories are not
// (so a link loop cannot trap the walk); a dangling link, a named pipe or
// any other file that is not a regular file is an error. A directory with
// no payload file is an error too, so that a mistyped path cannot pass
// silently. Errors are returned beside the files found.
func ExpandPaths(paths []string) ([]string, []error) {
	var files []string
	var errs []error
	stdin := false
	for _, p := range paths {
		if p == "-" {
			if stdin {
				errs = append(errs, &InputError{Path: p, Err: errors.New("standard input given more than once")})
				continue
			}
			stdin = true
			files = append(files, p)
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			errs = append(errs, &InputError{Path: p, Err: unwrapPathError(err)})
			continue
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		found, werrs := walkDir(p)
		errs = append(errs, werrs...)
		if len(found) == 0 && len(werrs) == 0 {
			errs = append(errs, &InputError{Path: p, Err: errors.New("no .json, .ndjson or .jsonl file in this directory")})
		}
		files = append(files, found...)
	}
	return files, errs
}

func walkDir(root string) ([]string, []error) {
	var found []string
	var errs []error
	// A root that is a symbolic link to a directory is walked through the
	// link: the trailing separator makes WalkDir resolve it.
	walkRoot := root
	if fi, err := os.Lstat(root); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		walkRoot = root + string(filepath.Separator)
	}
	err := filepath.WalkDir(walkRoot, func(fp string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, &InputError{Path: fp, Err: unwrapPathError(err)})
			if d != nil && d.IsDir() && fp != walkRoot {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !isPayloadFile(d.Name()) {
			return nil
		}
		mode := d.Type()
		if mode&fs.ModeSymlink != 0 {
			fi, err := os.Stat(fp)
			if err != nil {
				errs = append(errs, &InputError{Path: fp, Err: fmt.Errorf("symbolic link: %w", unwrapPathError(err))})
				return nil
			}
			if fi.IsDir() {
				return nil
			}
			mode = fi.Mode().Type()
		}
		if !mode.IsRegular() {
			errs = append(errs, &InputError{Path: fp, Err: fmt.Errorf("not a regular file (%s)", describeMode(mode))})
			return nil
		}
		found = append(found, fp)
		return nil
	})
	if err != nil {
		errs = append(errs, &InputError{Path: root, Err: err})
	}
	sort.Strings(found)
	return found, errs
}

func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.String()
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ReadPayloads reads one input. A .json file (or any file not named
// .ndjson/.jsonl) is one payload; an NDJSON file is one payload per
// non-blank line, and an error when it has none; stdin ("-") is one
// payload, or one per line when it holds several lines that each hold a
// JSON object or array.
func ReadPayloads(name string, stdin io.Reader, emit func(Payload)) error {
	var data []byte
	var err error
	if name == "-" {
		if stdin == nil {
			return &InputError{Path: "-", Err: errors.New("no standard input")}
		}
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return &InputError{Path: name, Err: unwrapPathError(err)}
	}
	// A capture of `hookcontract serve` stands for the body it holds, when
	// that is a delivery read in full.
	if c, ok, err := capture.Parse(data); ok || err != nil {
		if err != nil {
			return &InputError{Path: name, Err: err}
		}
		if c.IsPayload() {
			body, _ := c.RawBody()
			emit(Payload{Source: name, Data: body, Provider: c.Provider})
		}
		return nil
	}
	if IsNDJSON(name) || (name == "-" && looksLikeNDJSON(data)) {
		if SplitLines(name, data, emit) == 0 {
			return &InputError{Path: name, Err: errors.New("no payload: every line is blank")}
		}
		return nil
	}
	emit(Payload{Source: name, Data: data})
	return nil
}

// SplitLines emits one payload per non-blank line of data and returns how
// many it emitted. Blank and whitespace-only lines are skipped (a trailing
// newline, or blank lines between records, are common in captures); a
// final line without newline counts; a carriage return before a newline
// is dropped.
func SplitLines(name string, data []byte, emit func(Payload)) int {
	line, n := 0, 0
	for len(data) > 0 {
		line++
		var l []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			l, data = data[:i], data[i+1:]
		} else {
			l, data = data, nil
		}
		l = bytes.TrimSuffix(l, []byte{'\r'})
		if isBlank(l) {
			continue
		}
		n++
		emit(Payload{Source: name, Line: line, Data: l})
	}
	return n
}

// isBlank tells whether a line holds only JSON whitespace.
func isBlank(l []byte) bool {
	for _, c := range l {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

// looksLikeNDJSON tells whether stdin holds several JSON values, one per
// line, rather than one (possibly pretty-printed) value: at least two
// non-blank lines, each a complete JSON object or array.
func looksLikeNDJSON(data []byte) bool {
	lines := 0
	var d decoder
	for len(data) > 0 {
		var l []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			l, data = data[:i], data[i+1:]
		} else {
			l, data = data, nil
		}
		l = bytes.TrimSpace(l)
		if len(l) == 0 {
			continue
		}
		if l[0] != '{' && l[0] != '[' {
			return false
		}
		if _, err := d.decode(l); err != nil {
			return false
		}
		lines++
	}
	return lines > 1
}

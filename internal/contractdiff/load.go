package contractdiff

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/hookcontract/hookcontract/gen"
	"github.com/hookcontract/hookcontract/internal/contract"
)

// Source is one side of a diff as read from the command line: a spec
// directory, a spec file, or a git revision of either.
type Source struct {
	Label string // as given
	// Path is where reports place the documents: the path as given, or
	// for a git revision the subdir in the repository (the same file in
	// the working tree).
	Path string
	Dir  string // the spec directory on disk (for a file: "")
	File string // the spec file on disk (for a directory: "")
	// cleanup removes what reading a git revision extracted.
	cleanup func()
	loaded  []*contract.Provider
}

// Close removes any temporary files the source needed.
func (s *Source) Close() {
	if s.cleanup != nil {
		s.cleanup()
	}
}

// Open reads a source: a directory of provider folders (specs/LAYOUT.md),
// a provider folder holding openapi.yaml, or an OpenAPI document. A
// git input (REPO#ref=REV[,subdir=DIR]) is extracted from the repository
// into a temporary directory first.
func Open(arg string) (*Source, error) {
	if IsGitInput(arg) {
		return openGit(arg)
	}
	return openPath(arg, arg)
}

func openPath(label, p string) (*Source, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label, unwrap(err))
	}
	if !fi.IsDir() {
		return &Source{Label: label, Path: label, File: p}, nil
	}
	if _, err := os.Stat(filepath.Join(p, "openapi.yaml")); err == nil {
		if ents, _ := filepath.Glob(filepath.Join(p, "*", "openapi.yaml")); len(ents) == 0 {
			return &Source{Label: label, Path: path.Join(filepath.ToSlash(label), "openapi.yaml"), File: filepath.Join(p, "openapi.yaml")}, nil
		}
	}
	return &Source{Label: label, Path: label, Dir: p}, nil
}

func unwrap(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Providers loads the source's providers (once).
func (s *Source) Providers() ([]*contract.Provider, error) {
	if s.loaded != nil {
		return s.loaded, nil
	}
	ps, err := s.load()
	if err != nil {
		return nil, err
	}
	s.loaded = ps
	return ps, nil
}

// Pair loads both sources. When each is one provider's document and
// their names differ (two versions of a vendor's file in folders of their
// own), the old one takes the new one's name: they are one provider.
func Pair(old, new *Source) error {
	op, err := old.Providers()
	if err != nil {
		return err
	}
	np, err := new.Providers()
	if err != nil {
		return err
	}
	if old.File != "" && new.File != "" && len(op) == 1 && len(np) == 1 && op[0].Name != np[0].Name {
		p := *op[0]
		p.Name = np[0].Name
		old.loaded = []*contract.Provider{&p}
	}
	return nil
}

func (s *Source) load() ([]*contract.Provider, error) {
	if s.Dir != "" {
		sp, err := contract.Load(os.DirFS(s.Dir))
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", s.Label, err)
		}
		return sp.Providers, nil
	}
	p, err := LoadSpecFile(s.File)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", s.Label, err)
	}
	return []*contract.Provider{p}, nil
}

// LoadSpecFile loads one OpenAPI document the way `hookcontract generate
// --spec` does: the document's folder and its parent are visible.
func LoadSpecFile(file string) (*contract.Provider, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(abs)
	return contract.LoadFile(os.DirFS(filepath.Dir(dir)), path.Join(filepath.Base(dir), filepath.Base(abs)))
}

// Contract loads the source as a Contract.
func (s *Source) Contract() (Contract, error) {
	ps, err := s.Providers()
	if err != nil {
		return nil, err
	}
	if s.File != "" && len(ps) == 1 {
		// The document of a lone file is shown as the file itself.
		return FromProviders("", renameDoc(ps, s.Path))
	}
	return FromProviders(strings.TrimSuffix(filepath.ToSlash(s.Path), "/"), ps)
}

func renameDoc(ps []*contract.Provider, label string) []*contract.Provider {
	cp := *ps[0]
	cp.DocPath = label
	return []*contract.Provider{&cp}
}

// generatedAPI generates the provider's package in memory and type-checks
// its exported API. The management client, a package of its own, is left
// out: it follows the management endpoints, not the payloads.
func generatedAPI(p *contract.Provider) (*types.Package, error) {
	name := packageName(p.Name)
	files, err := gen.Generate(p, gen.Options{Package: name})
	if err != nil {
		return nil, err
	}
	own := map[string][]byte{}
	for n, b := range files {
		if !strings.Contains(n, "/") {
			own[n] = b
		}
	}
	return CheckPackage("generated/"+name, own)
}

// packageName turns a provider name into a Go package name.
func packageName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	n := b.String()
	if n == "" || unicode.IsDigit(rune(n[0])) {
		n = "p" + n
	}
	return n
}

// IsGitInput tells whether arg names a git revision: PATH#ref=REV, with
// optional ,subdir=DIR (branch= and tag= are read as ref=).
func IsGitInput(arg string) bool {
	_, frag, ok := strings.Cut(arg, "#")
	return ok && (strings.HasPrefix(frag, "ref=") || strings.HasPrefix(frag, "branch=") || strings.HasPrefix(frag, "tag=") || strings.HasPrefix(frag, "subdir="))
}

// GitInput is a parsed git input.
type GitInput struct {
	Repo   string // a path inside the repository (".git" means the current one)
	Ref    string
	Subdir string
}

// ParseGitInput reads PATH#ref=REV[,subdir=DIR].
func ParseGitInput(arg string) (GitInput, error) {
	repo, frag, _ := strings.Cut(arg, "#")
	g := GitInput{Repo: repo}
	for _, kv := range strings.Split(frag, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || v == "" {
			return g, fmt.Errorf("%s: expected key=value after #, found %q", arg, kv)
		}
		switch k {
		case "ref", "branch", "tag":
			g.Ref = v
		case "subdir":
			g.Subdir = path.Clean(strings.Trim(v, "/"))
			if g.Subdir == ".." || strings.HasPrefix(g.Subdir, "../") {
				return g, fmt.Errorf("%s: subdir %q leaves the repository", arg, v)
			}
		default:
			return g, fmt.Errorf("%s: unknown key %q (expected ref, branch, tag or subdir)", arg, k)
		}
	}
	if g.Ref == "" {
		g.Ref = "HEAD"
	}
	if strings.HasPrefix(g.Ref, "-") {
		return g, fmt.Errorf("%s: ref %q is not a revision", arg, g.Ref)
	}
	if g.Repo == "" {
		g.Repo = "."
	}
	if filepath.Base(g.Repo) == ".git" {
		g.Repo = filepath.Dir(g.Repo)
	}
	return g, nil
}

// maxArchive bounds what a revision may extract.
const maxArchive = 512 << 20

func openGit(arg string) (*Source, error) {
	g, err := ParseGitInput(arg)
	if err != nil {
		return nil, err
	}
	if fi, err := os.Stat(g.Repo); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("%s: no repository directory %s", arg, g.Repo)
	}
	if err := exec.Command("git", "-C", g.Repo, "rev-parse", "--git-dir").Run(); err != nil {
		return nil, fmt.Errorf("%s: %s is not in a git repository", arg, g.Repo)
	}
	if err := exec.Command("git", "-C", g.Repo, "rev-parse", "--verify", "--quiet", g.Ref+"^{commit}").Run(); err != nil {
		return nil, fmt.Errorf("%s: no commit %q in the repository", arg, g.Ref)
	}
	args := []string{"-C", g.Repo, "archive", "--format=tar", g.Ref + "^{commit}"}
	if g.Subdir != "" && g.Subdir != "." {
		args = append(args, "--", g.Subdir)
	}
	tmp, err := os.MkdirTemp("", "hookcontract-diff-")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", arg, err)
	}
	cleanup := func() { os.RemoveAll(tmp) }
	// The archive is streamed into the directory, never held whole.
	cmd := exec.Command("git", args...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.StdoutPipe()
	if err != nil {
		cleanup()
		return nil, fmt.Errorf("%s: %w", arg, err)
	}
	if err := cmd.Start(); err != nil {
		cleanup()
		return nil, fmt.Errorf("%s: git archive: %w", arg, err)
	}
	xerr := extractTar(out, tmp)
	io.Copy(io.Discard, out)
	werr := cmd.Wait()
	if werr != nil {
		cleanup()
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = werr.Error()
		}
		return nil, fmt.Errorf("%s: git archive: %s", arg, msg)
	}
	if xerr != nil {
		cleanup()
		return nil, fmt.Errorf("%s: %w", arg, xerr)
	}
	root := filepath.Join(tmp, filepath.FromSlash(g.Subdir))
	s, err := openPath(arg, root)
	if err != nil {
		cleanup()
		return nil, fmt.Errorf("%s: subdir %q: not in revision %s", arg, g.Subdir, g.Ref)
	}
	s.cleanup = cleanup
	s.Path = path.Join(filepath.ToSlash(g.Repo), g.Subdir)
	if s.File != "" && s.Dir == "" && path.Base(s.Path) != path.Base(filepath.ToSlash(s.File)) {
		s.Path = path.Join(s.Path, path.Base(filepath.ToSlash(s.File)))
	}
	return s, nil
}

// extractTar writes the regular files and directories of a git archive
// under dir. Links and names that would leave dir are refused.
func extractTar(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	var total int64
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read archive: %w", err)
		}
		name := path.Clean(h.Name)
		if path.IsAbs(name) || name == ".." || strings.HasPrefix(name, "../") {
			return fmt.Errorf("archive entry %q leaves the directory", h.Name)
		}
		dst := filepath.Join(dir, filepath.FromSlash(name))
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(dst, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			total += h.Size
			if total > maxArchive {
				return fmt.Errorf("archive larger than %d bytes", maxArchive)
			}
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return err
			}
			b, err := io.ReadAll(io.LimitReader(tr, h.Size))
			if err != nil {
				return fmt.Errorf("read archive entry %s: %w", h.Name, err)
			}
			if err := os.WriteFile(dst, b, 0o644); err != nil {
				return err
			}
		default:
			// pax headers, symbolic links, submodules: not spec files.
		}
	}
}

package contractdiff

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExtractTarRefusesEscapes feeds archives whose entries would leave
// the directory, or are links, and checks nothing lands outside it.
func TestExtractTarRefusesEscapes(t *testing.T) {
	build := func(entries ...tar.Header) []byte {
		var b bytes.Buffer
		tw := tar.NewWriter(&b)
		for _, h := range entries {
			h := h
			body := "{}"
			if h.Typeflag == tar.TypeReg {
				h.Size = int64(len(body))
			}
			if err := tw.WriteHeader(&h); err != nil {
				t.Fatal(err)
			}
			if h.Typeflag == tar.TypeReg {
				tw.Write([]byte(body))
			}
		}
		tw.Close()
		return b.Bytes()
	}
	for _, tc := range []struct {
		name    string
		entries []tar.Header
		err     string
	}{
		{"parent", []tar.Header{{Name: "../escaped.json", Typeflag: tar.TypeReg, Mode: 0o644}}, "leaves the directory"},
		{"deep parent", []tar.Header{{Name: "specs/../../escaped.json", Typeflag: tar.TypeReg, Mode: 0o644}}, "leaves the directory"},
		{"absolute", []tar.Header{{Name: "/tmp/escaped.json", Typeflag: tar.TypeReg, Mode: 0o644}}, "leaves the directory"},
		{"symlink then write through it", []tar.Header{
			{Name: "link", Typeflag: tar.TypeSymlink, Linkname: "..", Mode: 0o777},
			{Name: "link/escaped.json", Typeflag: tar.TypeReg, Mode: 0o644},
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "x")
			os.Mkdir(dir, 0o755)
			err := extractTar(bytes.NewReader(build(tc.entries...)), dir)
			if tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("error %v, want %q", err, tc.err)
			}
			if _, err := os.Stat(filepath.Join(root, "escaped.json")); err == nil {
				t.Errorf("an entry was written outside the directory")
			}
			if _, err := os.Lstat(filepath.Join(dir, "link")); err == nil {
				if fi, _ := os.Lstat(filepath.Join(dir, "link")); fi.Mode()&os.ModeSymlink != 0 {
					t.Errorf("a symbolic link was created")
				}
			}
		})
	}
}

func TestParseGitInput(t *testing.T) {
	for _, tc := range []struct {
		in, repo, ref, subdir, err string
	}{
		{in: ".git#ref=main,subdir=specs", repo: ".", ref: "main", subdir: "specs"},
		{in: "../other/.git#branch=dev", repo: "../other", ref: "dev"},
		{in: "repo#tag=v1.0.0,subdir=/a/b/", repo: "repo", ref: "v1.0.0", subdir: "a/b"},
		{in: "#subdir=specs", repo: ".", ref: "HEAD", subdir: "specs"},
		{in: ".git#ref=main,subdir=../..", err: "leaves the repository"},
		{in: ".git#ref=-oops", err: "not a revision"},
		{in: ".git#ref=", err: "expected key=value"},
		{in: ".git#depth=1", err: "unknown key"},
	} {
		g, err := ParseGitInput(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || g.Repo != tc.repo || g.Ref != tc.ref || g.Subdir != tc.subdir {
			t.Errorf("%s: %+v, %v; want repo %q ref %q subdir %q", tc.in, g, err, tc.repo, tc.ref, tc.subdir)
		}
	}
}

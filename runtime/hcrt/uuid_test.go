package hcrt

import (
	"math/rand"
	"testing"
)

// refUUID is FmtUUID byte by byte: the reference the word-at-a-time check
// is held to.
func refUUID(s []byte) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if hcHexDigits[c] < 0 {
				return false
			}
		}
	}
	return true
}

// FmtUUID answers as the byte-by-byte check does: on every byte value at
// every position of a valid UUID, and on random near misses.
func TestFmtUUIDAgreesWithBytewise(t *testing.T) {
	base := []byte("2eb8aa08-aa98-11EA-b4aa-73b441d1638b")
	for pos := range base {
		for c := 0; c < 256; c++ {
			s := append([]byte(nil), base...)
			s[pos] = byte(c)
			if got, want := FmtUUID(s), refUUID(s); got != want {
				t.Fatalf("%q: FmtUUID %v, byte by byte %v", s, got, want)
			}
		}
	}
	rng := rand.New(rand.NewSource(3))
	alphabet := []byte("0123456789abcdefABCDEFgG-/:@`\x00\x80\xff")
	for n := 0; n < 200000; n++ {
		s := make([]byte, 34+rng.Intn(4))
		for i := range s {
			s[i] = alphabet[rng.Intn(len(alphabet))]
		}
		if len(s) == 36 && rng.Intn(2) == 0 {
			s[8], s[13], s[18], s[23] = '-', '-', '-', '-'
		}
		if got, want := FmtUUID(s), refUUID(s); got != want {
			t.Fatalf("%q: FmtUUID %v, byte by byte %v", s, got, want)
		}
	}
}

func FuzzFmtUUID(f *testing.F) {
	f.Add([]byte("2eb8aa08-aa98-11ea-b4aa-73b441d1638b"))
	f.Fuzz(func(t *testing.T, s []byte) {
		if got, want := FmtUUID(s), refUUID(s); got != want {
			t.Fatalf("%q: FmtUUID %v, byte by byte %v", s, got, want)
		}
	})
}

func BenchmarkFmtUUID(b *testing.B) {
	s := []byte("2eb8aa08-aa98-11ea-b4aa-73b441d1638b")
	b.SetBytes(int64(len(s)))
	b.Run("words", func(b *testing.B) {
		for range b.N {
			FmtUUID(s)
		}
	})
	b.Run("bytes", func(b *testing.B) {
		for range b.N {
			refUUID(s)
		}
	})
}

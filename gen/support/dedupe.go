package support

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// providerProfile is what the spec says about a provider's deliveries:
// whether they carry a signature a verifier can check, and what identifies
// one. Every generated package declares its own (thisProvider).
type providerProfile struct {
	name   string       // the provider's name
	signs  bool         // the spec documents a signature profile a verifier checks
	dedupe []dedupePart // what identifies a delivery; none: a hash of the body
}

// dedupePart is one part of a delivery's identity: a header, or the member
// of the body at a JSON pointer.
type dedupePart struct {
	header  string
	pointer []string
}

// DeliveryKey returns what identifies the delivery of body with header, as
// the spec's x-hookcontract.dedupe declares it (header values and members
// of the body), or a hash of the body when the spec declares nothing or a
// part is missing. Retries of one delivery share a key. The key is the
// provider's name, a colon and a SHA-256 in hex, so it stays short whatever
// the body holds.
func DeliveryKey(header http.Header, body []byte) string {
	h := sha256.New()
	kind := "body"
	if len(thisProvider.dedupe) > 0 {
		kind = "id"
		for _, p := range thisProvider.dedupe {
			var v []byte
			var ok bool
			if p.header != "" {
				s := header.Get(p.header)
				v, ok = []byte(s), s != ""
			} else {
				v, _, ok = lookupMember(body, p.pointer)
			}
			if !ok {
				h.Reset()
				kind = "body"
				break
			}
			h.Write([]byte(strconv.Itoa(len(v)) + ":"))
			h.Write(v)
		}
	}
	if kind == "body" {
		h.Write(body)
	}
	return thisProvider.name + ":" + kind + ":" + hex.EncodeToString(h.Sum(nil))
}

// Deduper remembers the deliveries a handler has processed, so that a
// provider's retry of a delivery that was already handled, or a replay of a
// captured one, is acknowledged without calling the Handler again.
// Implementations must be safe for concurrent use; share one across
// instances (a database, a cache) when several serve the same provider.
type Deduper interface {
	// Claim records key as delivered and reports whether it already was: a
	// duplicate, which NewHandler acknowledges (204) without dispatching.
	Claim(ctx context.Context, key string) (duplicate bool, err error)
	// Release forgets key after its delivery failed (the Handler returned
	// an error or panicked), so that the provider's retry is processed.
	Release(ctx context.Context, key string) error
}

// DefaultDedupeEntries bounds a MemoryDeduper unless told otherwise.
const DefaultDedupeEntries = 100_000

// MemoryDeduper is an in-memory Deduper whose keys expire after a TTL. It
// serves one process; choose a TTL longer than the provider's retry
// schedule. When it holds its maximum number of keys it forgets the oldest
// first. The zero value is not usable: call NewMemoryDeduper.
type MemoryDeduper struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu    sync.Mutex
	seen  map[string]time.Time // key -> expiry
	order []dedupeEntry        // keys in claim order, so in expiry order
	head  int                  // index of the oldest live entry in order
}

type dedupeEntry struct {
	key    string
	expiry time.Time
}

// NewMemoryDeduper returns a MemoryDeduper that remembers a key for ttl
// and holds at most maxEntries keys (DefaultDedupeEntries when <= 0).
func NewMemoryDeduper(ttl time.Duration, maxEntries int) *MemoryDeduper {
	if maxEntries <= 0 {
		maxEntries = DefaultDedupeEntries
	}
	return &MemoryDeduper{ttl: ttl, max: maxEntries, now: time.Now, seen: map[string]time.Time{}}
}

// Claim implements Deduper.
func (d *MemoryDeduper) Claim(_ context.Context, key string) (bool, error) {
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.expire(now)
	if exp, ok := d.seen[key]; ok && now.Before(exp) {
		return true, nil
	}
	for len(d.seen) >= d.max {
		d.dropOldest()
	}
	exp := now.Add(d.ttl)
	d.seen[key] = exp
	d.order = append(d.order, dedupeEntry{key, exp})
	return false, nil
}

// Release implements Deduper.
func (d *MemoryDeduper) Release(_ context.Context, key string) error {
	d.mu.Lock()
	delete(d.seen, key)
	d.mu.Unlock()
	return nil
}

// Len returns the number of keys remembered.
func (d *MemoryDeduper) Len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.expire(d.now())
	return len(d.seen)
}

// expire forgets the keys whose time is up. Entries are in expiry order,
// since every key gets the same TTL.
func (d *MemoryDeduper) expire(now time.Time) {
	for d.head < len(d.order) && !now.Before(d.order[d.head].expiry) {
		d.dropOldest()
	}
	d.compact()
}

// dropOldest forgets the oldest entry still in order. An entry whose key
// was released, or claimed again since, no longer owns the map slot.
func (d *MemoryDeduper) dropOldest() {
	if d.head >= len(d.order) {
		// Every live key is in order; this happens only if max < 1.
		clear(d.seen)
		return
	}
	e := d.order[d.head]
	d.order[d.head] = dedupeEntry{}
	d.head++
	if exp, ok := d.seen[e.key]; ok && exp.Equal(e.expiry) {
		delete(d.seen, e.key)
	}
}

// compact reclaims the consumed front of order once it is most of it.
func (d *MemoryDeduper) compact() {
	if d.head > 1024 && d.head*2 > len(d.order) {
		n := copy(d.order, d.order[d.head:])
		clear(d.order[n:])
		d.order = d.order[:n]
		d.head = 0
	}
}

package hcrt

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Provider is what a spec says about a provider's deliveries: whether
// they carry a signature a verifier can check, and what identifies one.
// Every generated package declares its own.
type Provider struct {
	Name   string       // the provider's name
	Signs  bool         // the spec documents a signature profile a verifier checks
	Dedupe []DedupePart // what identifies a delivery; none: a hash of the body
}

// DedupePart is one part of a delivery's identity: a header, or the member
// of the body at a JSON pointer.
type DedupePart struct {
	Header   string
	Fallback string // read when Header is absent, as the verifier does (webhook-id for svix-id)
	Pointer  []string
}

// DeliveryKey returns what identifies the delivery of body with header, as
// the spec's x-hookcontract.dedupe declares it (header values and members
// of the body), or a hash of the body when the spec declares nothing or a
// part is missing. Retries of one delivery share a key. The key is the
// provider's name, a colon and a SHA-256 in hex, so it stays short whatever
// the body holds.
func (p *Provider) DeliveryKey(header http.Header, body []byte) string {
	h := sha256.New()
	kind := "body"
	if len(p.Dedupe) > 0 {
		kind = "id"
		for _, part := range p.Dedupe {
			var v []byte
			var ok bool
			if part.Header != "" {
				s := headerOr(header, part.Header, part.Fallback)
				v, ok = []byte(s), s != ""
			} else {
				v, _, ok = LookupMember(body, part.Pointer)
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
	return p.Name + ":" + kind + ":" + hex.EncodeToString(h.Sum(nil))
}

// ClaimState is what Deduper.Claim found for a delivery key. It is an int,
// and its values are fixed, so that a Deduper written once (on Redis, in
// another module) satisfies the Deduper interface of every generated
// package.
type ClaimState = int

// Claim states.
const (
	// Claimed: no attempt of this delivery is in flight or done; the caller
	// now holds the claim and must Complete or Release it.
	Claimed ClaimState = 0
	// InFlight: another attempt holds the claim and has not finished. The
	// handler answers 503 with Retry-After: the provider retries later, and
	// the delivery is not lost if that attempt fails.
	InFlight ClaimState = 1
	// Completed: an attempt was handled successfully. The handler
	// acknowledges the duplicate (204) without dispatching.
	Completed ClaimState = 2
)

// Deduper remembers the deliveries a handler has processed, so that a
// provider's retry of a delivery that was already handled, or a replay of a
// captured one, is acknowledged without calling the Handler again, and so
// that only a completed success acknowledges a duplicate.
//
// A delivery key moves through claim, complete and release: Claim takes
// the key for one attempt (or reports that another attempt holds it, or
// that it is done); Complete marks it done after the Handler succeeded;
// Release drops the claim after the Handler failed, so that the provider's
// retry is processed. A claim that is neither completed nor released (the
// process died) lapses after the deduper's lease.
//
// Implementations must be safe for concurrent use; share one across
// replicas (a database, Redis) when several serve the same provider. An
// error from Claim is answered 503, so the provider retries: a Deduper
// outage never acknowledges a delivery it did not see handled.
type Deduper interface {
	Claim(ctx context.Context, key string) (ClaimState, error)
	Complete(ctx context.Context, key string) error
	Release(ctx context.Context, key string) error
}

// DefaultDedupeEntries bounds a MemoryDeduper unless told otherwise.
const DefaultDedupeEntries = 100_000

// DefaultClaimLease is how long a claim that is neither completed nor
// released holds its key, unless the deduper is told otherwise. It must
// exceed the longest Handler run; the recommended server's WriteTimeout
// (see NewServer) is shorter.
const DefaultClaimLease = 2 * time.Minute

// MemoryDeduper is an in-memory Deduper: a completed key is remembered for
// a TTL, a claim in flight for its lease (DefaultClaimLease, or the TTL if
// shorter). It serves one process; choose a TTL longer than the provider's
// retry schedule. When it holds its maximum number of keys it forgets the
// oldest first. The zero value is not usable: call NewMemoryDeduper.
type MemoryDeduper struct {
	ttl   time.Duration
	lease time.Duration
	max   int
	now   func() time.Time

	mu   sync.Mutex
	keys map[string]*list.Element // of *dedupeEntry
	lru  list.List                // oldest first
}

type dedupeEntry struct {
	key    string
	expiry time.Time
	done   bool
}

// NewMemoryDeduper returns a MemoryDeduper that remembers a completed key
// for ttl and holds at most maxEntries keys (DefaultDedupeEntries when
// <= 0).
func NewMemoryDeduper(ttl time.Duration, maxEntries int) *MemoryDeduper {
	if maxEntries <= 0 {
		maxEntries = DefaultDedupeEntries
	}
	lease := min(DefaultClaimLease, ttl)
	return &MemoryDeduper{ttl: ttl, lease: lease, max: maxEntries, now: time.Now, keys: map[string]*list.Element{}}
}

// Claim implements Deduper.
func (d *MemoryDeduper) Claim(_ context.Context, key string) (ClaimState, error) {
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.expire(now)
	if el, ok := d.keys[key]; ok {
		e := el.Value.(*dedupeEntry)
		if now.Before(e.expiry) {
			if e.done {
				return Completed, nil
			}
			return InFlight, nil
		}
		d.remove(el)
	}
	for len(d.keys) >= d.max && d.lru.Len() > 0 {
		d.remove(d.lru.Front())
	}
	d.keys[key] = d.lru.PushBack(&dedupeEntry{key: key, expiry: now.Add(d.lease)})
	return Claimed, nil
}

// Complete implements Deduper.
func (d *MemoryDeduper) Complete(_ context.Context, key string) error {
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	el, ok := d.keys[key]
	if !ok {
		for len(d.keys) >= d.max && d.lru.Len() > 0 {
			d.remove(d.lru.Front())
		}
		d.keys[key] = d.lru.PushBack(&dedupeEntry{key: key, expiry: now.Add(d.ttl), done: true})
		return nil
	}
	e := el.Value.(*dedupeEntry)
	e.expiry, e.done = now.Add(d.ttl), true
	d.lru.MoveToBack(el)
	return nil
}

// Release implements Deduper. A key already completed stays completed.
func (d *MemoryDeduper) Release(_ context.Context, key string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if el, ok := d.keys[key]; ok && !el.Value.(*dedupeEntry).done {
		d.remove(el)
	}
	return nil
}

// Len returns the number of keys remembered, claimed or completed.
func (d *MemoryDeduper) Len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.expire(d.now())
	return len(d.keys)
}

// expire forgets the keys at the front whose time is up. The list is in
// order of last change; a claim's lease may end before the TTL of a
// completion behind it, so an expired key can linger until it reaches the
// front or is looked up, within the bound on entries.
func (d *MemoryDeduper) expire(now time.Time) {
	for el := d.lru.Front(); el != nil && !now.Before(el.Value.(*dedupeEntry).expiry); el = d.lru.Front() {
		d.remove(el)
	}
}

func (d *MemoryDeduper) remove(el *list.Element) {
	delete(d.keys, el.Value.(*dedupeEntry).key)
	d.lru.Remove(el)
}

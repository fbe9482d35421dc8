// Package redisdedupe is a Deduper on Redis for the handlers hookcontract
// generates, so that the replicas of a receiver behind a load balancer
// share what they have handled: a provider's retry is acknowledged by
// whichever replica it lands on, once the delivery was handled successfully
// on any of them, and refused for a retry while another replica is still
// handling it.
//
// A delivery key moves through three states, as a generated handler's
// Deduper interface states them:
//
//   - Claim: SET key "claimed" NX with the claim's lease. It succeeds for
//     one attempt (Claimed); any other finds "claimed" (InFlight, answered
//     503 with Retry-After) or "done" (Completed, acknowledged with 204).
//   - Complete: SET key "done" with the TTL, after the Handler succeeded.
//   - Release: DEL key if it still holds "claimed", after the Handler
//     failed, so that the provider's retry is handled.
//
// A claim that is neither completed nor released (a replica died) lapses
// after its lease. When Redis cannot be reached, Claim returns an error and
// the handler answers 503: an outage never acknowledges a delivery.
//
// The generated packages do not import this module (their one requirement
// is the standard-library-only runtime module). A *Deduper satisfies their
// Deduper interface, the runtime's hcrt.Deduper, whose claim states are
// plain ints (Claimed 0, InFlight 1, Completed 2):
//
//	d := redisdedupe.New(redis.NewClient(&redis.Options{Addr: "redis:6379"}), redisdedupe.Options{TTL: 72 * time.Hour})
//	h := salesiq.NewHandler(myHandler, salesiq.WithDeduper(d), ...)
package redisdedupe

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Claim states, as every generated package numbers them.
const (
	Claimed   = 0 // the caller holds the claim: handle, then Complete or Release
	InFlight  = 1 // another attempt holds the claim
	Completed = 2 // handled successfully already
)

// Defaults of Options.
const (
	DefaultPrefix = "hookcontract:dedupe:"
	DefaultTTL    = 24 * time.Hour
	DefaultLease  = 2 * time.Minute
)

// Options configure a Deduper.
type Options struct {
	// Prefix is put before every key (DefaultPrefix when empty), so that
	// one Redis serves several receivers or tests.
	Prefix string
	// TTL is how long a completed delivery is remembered (DefaultTTL when
	// zero): longer than the provider's retry schedule, and than the
	// window in which a replayed delivery would do harm.
	TTL time.Duration
	// Lease is how long a claim holds a key when it is neither completed
	// nor released (DefaultLease when zero): longer than the Handler's
	// longest run (under the recommended server an answer later than its
	// 30 s WriteTimeout is not sent anyway).
	Lease time.Duration
}

// Deduper is a Deduper on Redis. It is safe for concurrent use.
type Deduper struct {
	client redis.Cmdable
	opts   Options
}

// New returns a Deduper storing its keys through client (a *redis.Client,
// *redis.ClusterClient or *redis.Ring).
func New(client redis.Cmdable, opts Options) *Deduper {
	if opts.Prefix == "" {
		opts.Prefix = DefaultPrefix
	}
	if opts.TTL <= 0 {
		opts.TTL = DefaultTTL
	}
	if opts.Lease <= 0 {
		opts.Lease = DefaultLease
	}
	return &Deduper{client: client, opts: opts}
}

// Marker values stored under a key.
const (
	markClaimed = "claimed"
	markDone    = "done"
)

// claimScript is SET NX with the lease, and, when the key is taken, what it
// holds: one round trip, atomic.
var claimScript = redis.NewScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
if redis.call('GET', KEYS[1]) == ARGV[3] then return 2 end
return 1
`)

// releaseScript drops the key only while it holds a claim: a completion
// stays.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

// Claim takes key for one attempt, or reports that another attempt holds
// it (InFlight) or that it was handled (Completed).
func (d *Deduper) Claim(ctx context.Context, key string) (int, error) {
	n, err := claimScript.Run(ctx, d.client, []string{d.opts.Prefix + key}, markClaimed, d.opts.Lease.Milliseconds(), markDone).Int()
	if err != nil {
		return Claimed, fmt.Errorf("redis dedupe: claim %s: %w", key, err)
	}
	switch n {
	case Claimed, InFlight, Completed:
		return n, nil
	}
	return Claimed, fmt.Errorf("redis dedupe: claim %s: unexpected answer %d", key, n)
}

// Complete marks key handled for the TTL.
func (d *Deduper) Complete(ctx context.Context, key string) error {
	if err := d.client.Set(ctx, d.opts.Prefix+key, markDone, d.opts.TTL).Err(); err != nil {
		return fmt.Errorf("redis dedupe: complete %s: %w", key, err)
	}
	return nil
}

// Release drops the claim on key, unless it was completed.
func (d *Deduper) Release(ctx context.Context, key string) error {
	if err := releaseScript.Run(ctx, d.client, []string{d.opts.Prefix + key}, markClaimed).Err(); err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("redis dedupe: release %s: %w", key, err)
	}
	return nil
}

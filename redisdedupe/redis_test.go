package redisdedupe

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/hookcontract/hookcontract/redisdedupe/internal/soakhook"
)

// A *Deduper satisfies a generated package's Deduper interface.
var _ soakhook.Deduper = (*Deduper)(nil)

// quietLogger drops go-redis's own log lines (dial failures the outage
// tests provoke on purpose); the tests report what matters.
type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}

func init() { redis.SetLogger(quietLogger{}) }

// DefaultRedisAddr is where the tests look for redis-server unless
// HOOKCONTRACT_REDIS_ADDR says otherwise.
const DefaultRedisAddr = "127.0.0.1:6379"

// testRedis connects to the redis-server the tests run against. Without
// one it skips, unless HOOKCONTRACT_REQUIRE_REDIS or CI is set: then a
// missing server fails the test, loudly.
func testRedis(t testing.TB) *redis.Client {
	t.Helper()
	addr := os.Getenv("HOOKCONTRACT_REDIS_ADDR")
	if addr == "" {
		addr = DefaultRedisAddr
	}
	c := redis.NewClient(&redis.Options{Addr: addr, PoolSize: 64})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		if os.Getenv("HOOKCONTRACT_REQUIRE_REDIS") != "" || os.Getenv("CI") != "" {
			t.Fatalf("redis-server expected at %s (HOOKCONTRACT_REDIS_ADDR) but not reachable: %v", addr, err)
		}
		t.Skipf("no redis-server at %s (set HOOKCONTRACT_REDIS_ADDR, or start one: redis-server --port 6379 --save '' --daemonize yes): %v", addr, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// testPrefix keeps one test's keys apart from any other's.
func testPrefix(t testing.TB) string {
	var b [6]byte
	rand.Read(b[:])
	return "hookcontract-test:" + t.Name() + ":" + hex.EncodeToString(b[:]) + ":"
}

func TestClaimCompleteRelease(t *testing.T) {
	ctx := context.Background()
	c := testRedis(t)
	d := New(c, Options{Prefix: testPrefix(t), TTL: time.Hour, Lease: 300 * time.Millisecond})
	claim := func(k string) int {
		t.Helper()
		st, err := d.Claim(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	if st := claim("a"); st != Claimed {
		t.Fatalf("first claim: %d", st)
	}
	if st := claim("a"); st != InFlight {
		t.Fatalf("claim while in flight: %d", st)
	}
	if err := d.Release(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if st := claim("a"); st != Claimed {
		t.Fatalf("claim after release: %d", st)
	}
	if err := d.Complete(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if st := claim("a"); st != Completed {
		t.Fatalf("claim after completion: %d", st)
	}
	if err := d.Release(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if st := claim("a"); st != Completed {
		t.Fatalf("a release undid a completion: %d", st)
	}
	// A completion keeps its key for the TTL; a claim only for its lease.
	if ttl := c.PTTL(ctx, d.opts.Prefix+"a").Val(); ttl < 59*time.Minute {
		t.Errorf("completed key expires in %s, want the TTL", ttl)
	}
	if st := claim("b"); st != Claimed {
		t.Fatal(st)
	}
	time.Sleep(400 * time.Millisecond)
	if st := claim("b"); st != Claimed {
		t.Errorf("a lapsed claim still blocks: %d", st)
	}
}

// A Redis outage must not acknowledge anything: Claim fails, and the
// generated handler answers 503 with Retry-After.
func TestOutageRefusesForRetry(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 200 * time.Millisecond, MaxRetries: -1})
	defer c.Close()
	d := New(c, Options{})
	if _, err := d.Claim(context.Background(), "k"); err == nil {
		t.Fatal("claim against an unreachable Redis succeeded")
	}
	if err := d.Complete(context.Background(), "k"); err == nil {
		t.Error("complete against an unreachable Redis succeeded")
	}
	if err := d.Release(context.Background(), "k"); err == nil {
		t.Error("release against an unreachable Redis succeeded")
	}
}

package redisdedupe

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/hookcontract/hookcontract/redisdedupe/internal/soakhook"
)

// soakHandler records, per delivery id, how often it was called and how
// often it succeeded; it fails the first attempt of the ids failFirst
// names.
type soakHandler struct {
	soakhook.UnimplementedHandler
	failFirst func(id string) bool

	mu       sync.Mutex
	calls    map[string]int
	handled  map[string]int
	failures int
}

func (h *soakHandler) OnSalesforcesettingsUpdated(_ context.Context, e *soakhook.SalesforcesettingsUpdatedEvent) error {
	id := e.Payload.ID
	h.mu.Lock()
	h.calls[id]++
	first := h.calls[id] == 1
	if first && h.failFirst(id) {
		h.failures++
		h.mu.Unlock()
		return errors.New("downstream unavailable")
	}
	h.mu.Unlock()
	time.Sleep(time.Millisecond) // work, so that a concurrent duplicate finds it in flight
	h.mu.Lock()
	h.handled[id]++
	h.mu.Unlock()
	return nil
}

// soakBodies returns n salesforce deliveries, each with its own id.
func soakBodies(t *testing.T, n int) [][]byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "specs", "salesforce", "examples", "valid", "salesforcesettings.updated.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	out := make([][]byte, n)
	for i := range out {
		m["id"] = json.RawMessage(fmt.Sprintf(`"soak-%05d"`, i))
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = b
	}
	return out
}

func post(client *http.Client, url string, body []byte) (int, http.Header, error) {
	resp, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header, nil
}

// Three replicas of a generated handler share one Redis. 10 000 deliveries
// go to them as a provider sends them: 30% are delivered again to another
// replica (half at the same time as the first attempt, half after it), 5%
// of first attempts fail; every answer other than 2xx is retried on the
// next replica. Every delivery must be handled successfully exactly once,
// and none lost.
func TestSoakThreeReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test")
	}
	c := testRedis(t)
	prefix := testPrefix(t)
	const deliveries, replicas = 10_000, 3
	bodies := soakBodies(t, deliveries)
	h := &soakHandler{calls: map[string]int{}, handled: map[string]int{}, failFirst: func(id string) bool {
		var n int
		fmt.Sscanf(id, "soak-%d", &n)
		return n%20 == 7 // 5%
	}}
	quiet := soakhook.WithLogger(slog.New(slog.DiscardHandler))
	var urls []string
	for range replicas {
		// Each replica has its own client, as separate processes would.
		rc := redis.NewClient(&redis.Options{Addr: c.Options().Addr, PoolSize: 32})
		defer rc.Close()
		srv := httptest.NewServer(soakhook.NewHandler(h, quiet, soakhook.WithDeduper(New(rc, Options{Prefix: prefix, TTL: time.Hour}))))
		defer srv.Close()
		urls = append(urls, srv.URL)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 30 * time.Second}

	var sent, ok204, status500, status503, lost, redelivered atomic.Int64
	// deliver sends one attempt after another, each retry to the next
	// replica, until one is answered 2xx.
	deliver := func(body []byte, replica int) {
		for attempt := range 100 {
			status, hdr, err := post(client, urls[(replica+attempt)%replicas], body)
			sent.Add(1)
			switch {
			case err != nil:
				t.Errorf("post: %v", err)
			case status >= 200 && status < 300:
				ok204.Add(1)
				return
			case status == http.StatusServiceUnavailable:
				status503.Add(1)
				if hdr.Get("Retry-After") == "" {
					t.Errorf("503 without Retry-After")
				}
			case status == http.StatusInternalServerError:
				status500.Add(1)
			default:
				t.Errorf("status %d", status)
			}
			time.Sleep(time.Duration(attempt+1) * time.Millisecond)
		}
		lost.Add(1)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				replica := i % replicas
				switch i % 10 {
				case 0, 1, 2: // redelivered to another replica
					redelivered.Add(1)
					if i%2 == 0 {
						var both sync.WaitGroup
						both.Add(1)
						go func() { defer both.Done(); deliver(bodies[i], (replica+1)%replicas) }()
						deliver(bodies[i], replica)
						both.Wait()
					} else {
						deliver(bodies[i], replica)
						deliver(bodies[i], (replica+1)%replicas)
					}
				default:
					deliver(bodies[i], replica)
				}
			}
		}()
	}
	for i := range deliveries {
		jobs <- i
	}
	close(jobs)
	wg.Wait()

	h.mu.Lock()
	defer h.mu.Unlock()
	once, calls := 0, 0
	for i := range deliveries {
		id := fmt.Sprintf("soak-%05d", i)
		switch n := h.handled[id]; n {
		case 1:
			once++
		default:
			t.Errorf("%s handled successfully %d times, want once", id, n)
		}
	}
	for _, n := range h.calls {
		calls += n
	}
	t.Logf("deliveries %d, redelivered to another replica %d, first attempts failed %d; requests %d: 2xx %d, 500 %d, 503 %d; handler calls %d; handled successfully exactly once %d; lost %d",
		deliveries, redelivered.Load(), h.failures, sent.Load(), ok204.Load(), status500.Load(), status503.Load(), calls, once, lost.Load())
	if once != deliveries || lost.Load() != 0 {
		t.Errorf("%d of %d deliveries handled exactly once, %d lost", once, deliveries, lost.Load())
	}
	if calls != deliveries+h.failures {
		t.Errorf("handler called %d times, want %d (each delivery once, plus each failed first attempt)", calls, deliveries+h.failures)
	}
	if h.failures != deliveries/20 {
		t.Errorf("%d first attempts failed, want %d", h.failures, deliveries/20)
	}
}

// With Redis unreachable, the generated handler answers 503 with
// Retry-After, never 2xx, and does not call the Handler.
func TestOutageAnsweredRetryable(t *testing.T) {
	rc := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 200 * time.Millisecond, MaxRetries: -1})
	defer rc.Close()
	h := &soakHandler{calls: map[string]int{}, handled: map[string]int{}, failFirst: func(string) bool { return false }}
	srv := httptest.NewServer(soakhook.NewHandler(h, soakhook.WithLogger(slog.New(slog.DiscardHandler)), soakhook.WithDeduper(New(rc, Options{}))))
	defer srv.Close()
	status, hdr, err := post(http.DefaultClient, srv.URL, soakBodies(t, 1)[0])
	if err != nil {
		t.Fatal(err)
	}
	if status != http.StatusServiceUnavailable || hdr.Get("Retry-After") == "" {
		t.Errorf("Redis down: %d (Retry-After %q), want 503 with Retry-After", status, hdr.Get("Retry-After"))
	}
	if len(h.calls) != 0 {
		t.Errorf("handler called while Redis was down")
	}
}

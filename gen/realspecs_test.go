package gen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/hookcontract/hookcontract/contracttest"
	"github.com/hookcontract/hookcontract/internal/contract"
	"github.com/hookcontract/hookcontract/internal/testmod"
)

// realSpecsDir holds real vendor documents kept as published, outside the
// repository (../shared from its root).
const realSpecsDir = "../../shared/testdata/real-specs"

// realSpec is one vendor document and what a user would put in
// hookcontract.yaml for it (nothing, for most).
type realSpec struct {
	pkg  string // Go package name
	root string // folder under realSpecsDir
	doc  string // document path inside root
	opts contract.LoadOptions
	// types are the Go type options of its hookcontract.yaml.
	types TypeOptions
	// catalog, when set, reads doc as the folder of a plain JSON Schema
	// catalog (contract.LoadCatalog) instead of an OpenAPI document.
	catalog *contract.CatalogOptions
	// byBody: every example the runner accepts must have its event told
	// from its body alone.
	byBody bool
}

var realSpecs = []realSpec{
	{pkg: "adyen", root: "adyen", doc: "json/Webhooks-v1.json"},
	{pkg: "adyenbp", root: "adyen", doc: "json/BalancePlatformConfigurationNotification-v2.json"},
	{pkg: "paddle", root: "paddle", doc: "v1/openapi.yaml"},
	{pkg: "chargebee", root: "chargebee", doc: "spec/chargebee_api_v1_spec.json"},
	{pkg: "clerk", root: "clerk", doc: "webhooks/2025-04-15.yml"},
	{pkg: "figma", root: "figma", doc: "openapi/openapi.yaml"},
	// Components only (OpenAPI 3.0.1, no webhooks): the event map is the
	// user's configuration; the event member is inferred. Both the source
	// and the vendor's own dereferenced build.
	{pkg: "ampersand", root: "ampersand", doc: "notifications/notifications.yaml", opts: contract.LoadOptions{Events: ampersandEvents}},
	{pkg: "ampersandderef", root: "ampersand", doc: "notifications/generated/notifications.json", opts: contract.LoadOptions{Events: ampersandEvents}},
	// Ampersand's second document: the one message read and subscribe
	// actions deliver to a webhook destination; its body names no event.
	{pkg: "ampersandmsg", root: "ampersand", doc: "webhook/webhook.yaml", opts: contract.LoadOptions{Events: ampersandMessage}},
	{pkg: "ampersandmsgderef", root: "ampersand", doc: "webhook/generated/webhook.json", opts: contract.LoadOptions{Events: ampersandMessage}},
	// Plain JSON Schema catalogs (no OpenAPI document): the event map is
	// the user's configuration. Amazon's files name the event at
	// /NotificationType or at /notificationType: both are inferred, and
	// every example is told by its body.
	{pkg: "amazonsp", root: "amazon-sp-api-notifications", doc: "schemas/notifications", catalog: &contract.CatalogOptions{Events: amazonEvents}, byBody: true},
	// Google's CloudEvents data schemas (draft-04): the event map comes
	// from their cloudeventTypes keyword, on request; the event is the
	// ce-type header; the example files sit beside the schemas.
	{pkg: "googlece", root: "google-cloudevents", doc: ".", catalog: &contract.CatalogOptions{EventsKeyword: "cloudeventTypes", EventHeader: "ce-type", Examples: googleExamples}},
}

// googleExamples maps the example payloads of Google's testdata/ to an
// event of the schema they exemplify (the first of its cloudeventTypes).
var googleExamples = map[string][]string{
	"google.cloud.audit.log.v1.written":                    {"testdata/google/events/cloud/audit/v1/LogEntryData-bigqueryjobcompleted.json", "testdata/google/events/cloud/audit/v1/LogEntryData-monitoringCreateTimeSeries.json", "testdata/google/events/cloud/audit/v1/LogEntryData-pubsubCreateTopic.json"},
	"google.cloud.cloudbuild.build.v1.statusChanged":       {"testdata/google/events/cloud/cloudbuild/v1/BuildEventData-complex.json", "testdata/google/events/cloud/cloudbuild/v1/BuildEventData-simple.json"},
	"google.cloud.firestore.document.v1.created":           {"testdata/google/events/cloud/firestore/v1/DocumentEventData-complex.json", "testdata/google/events/cloud/firestore/v1/DocumentEventData-simple.json"},
	"google.cloud.pubsub.topic.v1.messagePublished":        {"testdata/google/events/cloud/pubsub/v1/MessagePublishedData-binary.json", "testdata/google/events/cloud/pubsub/v1/MessagePublishedData-duplicatedFields.json", "testdata/google/events/cloud/pubsub/v1/MessagePublishedData-text.json"},
	"google.cloud.scheduler.job.v1.executed":               {"testdata/google/events/cloud/scheduler/v1/SchedulerJobData-simple.json"},
	"google.cloud.storage.object.v1.finalized":             {"testdata/google/events/cloud/storage/v1/StorageObjectData-complex.json", "testdata/google/events/cloud/storage/v1/StorageObjectData-simple.json"},
	"google.firebase.analytics.log.v1.written":             {"testdata/google/events/firebase/analytics/v1/AnalyticsLogData-complex.json"},
	"google.firebase.auth.user.v1.created":                 {"testdata/google/events/firebase/auth/v1/AuthEventData-complex.json"},
	"google.firebase.database.ref.v1.created":              {"testdata/google/events/firebase/database/v1/ReferenceEventData-simple.json"},
	"google.firebase.firebasealerts.alerts.v1.published":   {"testdata/google/events/firebase/firebasealerts/v1/AlertData-simple.json"},
	"google.firebase.remoteconfig.remoteConfig.v1.updated": {"testdata/google/events/firebase/remoteconfig/v1/RemoteConfigEventData-simple.json"},
	"google.firebase.testlab.testMatrix.v1.completed":      {"testdata/google/events/firebase/testlab/v1/TestMatrixEventData-simple.json"},
}

// amazonEvents is what a hookcontract.yaml would declare for Amazon's
// SP-API notification catalog: each notification type's schema file.
// ListingsItemIssuesChangeNotification.json is the older of two versions
// of one wire name; ShipmentTrackingMilestoneChangedNotification.json
// cannot be compiled (its root $ref dangles) and is refused with an error
// naming the file (TestCatalogDanglingRoot).
var amazonEvents = map[string]string{
	"ANY_OFFER_CHANGED":                    "AnyOfferChangedNotification.json",
	"B2B_ANY_OFFER_CHANGED":                "B2bAnyOfferChangedNotification.json",
	"BRANDED_ITEM_CONTENT_CHANGE":          "BrandedItemContentChangeNotification.json",
	"DATA_KIOSK_QUERY_PROCESSING_FINISHED": "DataKioskQueryProcessingFinishedNotification.json",
	"DETAIL_PAGE_TRAFFIC_EVENT":            "DetailPageTrafficEventNotification.json",
	"FBA_INVENTORY_AVAILABILITY_CHANGES":   "FBAInventoryAvailabilityChangeNotification.json",
	"FBA_OUTBOUND_SHIPMENT_STATUS":         "FBAOutboundShipmentStatusNotification.json",
	"FEE_PROMOTION":                        "FeePromotionNotification.json",
	"FEED_PROCESSING_FINISHED":             "FeedProcessingFinishedNotification.json",
	"FULFILLMENT_ORDER_STATUS":             "FulfillmentOrderStatusNotification.json",
	"ITEM_INVENTORY_EVENT_CHANGE":          "ItemInventoryEventChangeNotification.json",
	"ITEM_PRODUCT_TYPE_CHANGE":             "ItemProductTypeChangeNotification.json",
	"ITEM_SALES_EVENT_CHANGE":              "ItemSalesEventChangeNotification.json",
	"LISTINGS_ITEM_ISSUES_CHANGE":          "ListingsItemIssuesChangeNotification_2023-12-13.json",
	"LISTINGS_ITEM_MFN_QUANTITY_CHANGE":    "ListingsItemMfnQuantityChange.json",
	"LISTINGS_ITEM_STATUS_CHANGE":          "ListingsItemStatusChangeNotification.json",
	"ORDER_CHANGE":                         "OrderChangeNotification.json",
	"PRICING_HEALTH":                       "PricingHealthNotification.json",
	"PRODUCT_TYPE_DEFINITIONS_CHANGE":      "ProductTypeDefinitionsChangeNotification.json",
	"REPORT_PROCESSING_FINISHED":           "ReportProcessingFinishedNotification.json",
	"TRANSACTION_UPDATE":                   "TransactionUpdateNotification.json",
}

// ampersandEvents is what a hookcontract.yaml would declare for Ampersand's
// components-only notifications document.
var ampersandEvents = map[string]string{
	"installation.created":         "#/components/schemas/InstallationCreatedNotificationPayload",
	"installation.updated":         "#/components/schemas/InstallationUpdatedNotificationPayload",
	"installation.deleted":         "#/components/schemas/InstallationDeletedNotificationPayload",
	"read.backfill.done":           "#/components/schemas/ReadBackfillDoneNotificationPayload",
	"read.schedule.paused":         "#/components/schemas/ReadSchedulePausedNotificationPayload",
	"read.triggered.done":          "#/components/schemas/ReadTriggeredDoneNotificationPayload",
	"read.triggered.error":         "#/components/schemas/TriggeredReadErrorNotificationPayload",
	"write.async.done":             "#/components/schemas/WriteAsyncDoneNotificationPayload",
	"subscribe.create.error":       "#/components/schemas/SubscribeCreateErrorNotificationPayload",
	"connection.created":           "#/components/schemas/ConnectionCreatedNotificationPayload",
	"connection.error":             "#/components/schemas/ConnectionErrorNotificationPayload",
	"connection.refreshed":         "#/components/schemas/ConnectionRefreshedNotificationPayload",
	"connection.updated":           "#/components/schemas/ConnectionUpdatedNotificationPayload",
	"connection.deleted":           "#/components/schemas/ConnectionDeletedNotificationPayload",
	"destination.webhook.disabled": "#/components/schemas/DestinationWebhookDisabledNotificationPayload",
}

// ampersandMessage is the event map of Ampersand's webhook-message
// document: one message, told by the route it is delivered to.
var ampersandMessage = map[string]string{
	"webhook.message": "#/components/schemas/WebhookMessage",
}

// verdictTest runs every shipped example through the generated
// ValidateEvent and writes the verdicts (true: accepted) beside them; and
// posts each example whose event can be told from the delivery (its body,
// or its header) to the generated handler, which must answer 204 for an
// accepted example and 400 for a rejected one.
const verdictTest = `package %s

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"testing"
)

func TestExampleVerdicts(t *testing.T) {
	data, err := os.ReadFile("examples.json")
	if err != nil {
		t.Fatal(err)
	}
	var exs []struct {
		Event      string
		Body       json.RawMessage
		Header     string
		Detectable bool
		Unnamed    bool
	}
	if err := json.Unmarshal(data, &exs); err != nil {
		t.Fatal(err)
	}
	out := make([]bool, len(exs))
	h := NewHandler(UnimplementedHandler{}, WithInsecureSkipVerify())
	for i, e := range exs {
		out[i] = ValidateEvent(e.Event, e.Body) == nil
		if e.Unnamed && out[i] {
			// Its body names no event: acknowledged, never refused.
			req := httptest.NewRequest("POST", "/", bytes.NewReader(e.Body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != 204 {
				t.Errorf("example %%d of %%s (no event name in its body): handler answered %%d, want 204: %%s", i, e.Event, rec.Code, rec.Body)
			}
		}
		if !e.Detectable {
			continue
		}
		req := httptest.NewRequest("POST", "/", bytes.NewReader(e.Body))
		req.Header.Set("Content-Type", "application/json")
		if e.Header != "" {
			req.Header.Set(e.Header, e.Event)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if want := map[bool]int{true: 204, false: 400}[out[i]]; rec.Code != want {
			t.Errorf("example %%d of %%s: handler answered %%d, want %%d: %%s", i, e.Event, rec.Code, want, rec.Body)
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("verdicts.json", b, 0o644); err != nil {
		t.Fatal(err)
	}
}
`

type realExample struct {
	Event      string
	Name       string `json:"-"`
	Body       json.RawMessage
	Header     string // the header that carries the event name, "" when the body does
	Detectable bool   // the event can be told from the delivery, without being given
	Unnamed    bool   // the webhook's bodies carry no event name (told by route only)
	runner     bool   // accepted by the runner (jsonschema/v5)
	comment    string
}

// TestRealSpecs generates every real vendor document as published into a
// temporary module, builds and vets it, and checks every example the
// document ships with the generated validators and with the runner
// (jsonschema/v5): their verdicts must agree. It prints one table row per
// document. All packages build in one module, so the Go build cache and
// both cores are shared.
func TestRealSpecs(t *testing.T) {
	if testing.Short() {
		t.Skip("generates, builds and vets real vendor documents")
	}
	if _, err := os.Stat(realSpecsDir); err != nil {
		t.Skipf("real vendor documents not available (%s relative to gen/ is absent): %v", realSpecsDir, err)
	}
	checkSpecs(t, realSpecsDir, realSpecs)
}

// acceptorCoverage counts the root validators (the tape functions) of a
// generated package and those that run an acceptor first: the share of
// its events whose conforming bodies are checked by an acceptor alone.
func acceptorCoverage(files Files) (roots, accepted int) {
	for _, n := range files.Names() {
		src := string(files[n])
		for _, part := range strings.Split(src, "\nfunc validate")[1:] {
			head, body, ok := strings.Cut(part, "\n")
			if !ok || !strings.HasSuffix(head, "Tape(st *hcrt.State) *ValidationError {") {
				continue
			}
			roots++
			if strings.HasPrefix(body, "\tif st.Accept(") {
				accepted++
			}
		}
	}
	return roots, accepted
}

// tempModule is a temporary module outside the repository, for generated
// packages to be built and tested in.
func tempModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), testmod.GoMod("example.com/real", ""), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// goIn runs the go command in dir, outside any workspace, and returns how
// long it took and its peak resident set (KiB, as getrusage reports it on
// Linux).
func goIn(dir string, args ...string) (time.Duration, int64, error) {
	u, err := goUsage(dir, args...)
	return u.wall, u.rssKiB, err
}

// goRun is what one go command cost: wall time, CPU time (user and
// system, its compiler and linker children included) and peak RSS.
type goRun struct {
	wall, cpu time.Duration
	rssKiB    int64
}

// goUsage runs the go command in dir, outside any workspace, and returns
// what it cost.
func goUsage(dir string, args ...string) (goRun, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	u := goRun{wall: time.Since(start)}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		u.rssKiB = ru.Maxrss
		u.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	if err != nil {
		return u, fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return u, nil
}

// TestUnseenVendorSpecs does the same for small specs written in the style
// of vendors not in the real set (testdata/vendors): a Stripe-style 3.0
// components-only document with an event map, and a 3.1 JSON document with
// inline bodies, wire names that differ from the webhook keys, a schema
// that would clash with an event type, and a surrogate-pair escape; and a
// GitHub-style document whose event name travels only in a header.
func TestUnseenVendorSpecs(t *testing.T) {
	if testing.Short() {
		t.Skip("generates, builds and vets vendor-style specs")
	}
	checkSpecs(t, filepath.Join("testdata", "vendors"), goldenCases)
}

func checkSpecs(t *testing.T, base string, specs []realSpec) {
	t.Helper()
	dir := tempModule(t)
	type row struct {
		spec                string
		webhooks, lines     int
		genTime, buildTime  time.Duration
		buildRSS            int64 // KiB
		examples, disagree  int
		generatedAccepts    int
		examplesByTheRunner int
		roots, accepted     int // root validators, and those an acceptor runs first
	}
	rows := make([]*row, len(specs))
	exByPkg := map[string][]realExample{}
	for i, rs := range specs {
		r := &row{spec: path.Join(rs.root, rs.doc)}
		rows[i] = r
		start := time.Now()
		fsys := os.DirFS(filepath.Join(base, rs.root))
		var p *contract.Provider
		var err error
		if rs.catalog != nil {
			p, err = contract.LoadCatalog(fsys, rs.doc, *rs.catalog)
		} else {
			p, err = contract.LoadFileWith(fsys, rs.doc, rs.opts)
		}
		if err != nil {
			t.Errorf("%s: load: %v", r.spec, err)
			continue
		}
		files, err := Generate(p, Options{Package: rs.pkg, Source: rs.doc, Types: rs.types})
		r.genTime = time.Since(start)
		if err != nil {
			t.Errorf("%s: generate: %v", r.spec, err)
			continue
		}
		for _, e := range p.Events {
			if e.Kind == contract.KindWebhook {
				r.webhooks++
			}
		}
		for _, n := range files.Names() {
			r.lines += bytes.Count(files[n], []byte("\n"))
		}
		// Every root of these documents gets an acceptor (none uses
		// $dynamicRef, unevaluated* or an expectation in a quiet
		// context): a root without one is an acceptor the emitter lost.
		r.roots, r.accepted = acceptorCoverage(files)
		if r.roots == 0 || r.accepted < r.roots {
			t.Errorf("%s: %d of %d root validators run an acceptor first, want all", r.spec, r.accepted, r.roots)
		}
		if err := WriteDir(filepath.Join(dir, rs.pkg), files); err != nil {
			t.Fatal(err)
		}
		suite, err := contracttest.LoadProvider(p)
		if err != nil {
			t.Errorf("%s: runner: %v", r.spec, err)
			continue
		}
		header := "" // the first header the event name travels in, if any
		for _, l := range p.Ext.Event.Locations() {
			if l.IsHeader() {
				header = l.Header
				break
			}
		}
		var exs []realExample
		for _, e := range p.Events {
			list, err := p.Examples(e)
			if err != nil {
				t.Errorf("%s: examples of %s: %v", r.spec, e.Name, err)
			}
			for _, x := range list {
				res := suite.Check(x.Value, contracttest.CheckOptions{Provider: p.Name, Event: e.Name})
				c := ""
				if len(res.Violations) > 0 {
					c = res.Violations[0].Pointer + " " + res.Violations[0].Keyword + ": " + res.Violations[0].Message
				}
				ex := realExample{Event: e.Name, Name: x.Pointer, Body: x.Value, Header: header, Unnamed: e.Unnamed, runner: res.Verdict != contracttest.Fail, comment: c}
				if ex.Header != "" {
					ex.Detectable = true
				} else {
					ex.Detectable = suite.Check(x.Value, contracttest.CheckOptions{Provider: p.Name}).Event == e.Name
				}
				if rs.byBody && ex.runner && !ex.Detectable {
					t.Errorf("%s: example %s of %s: the event is not told from the body (read at %s)", r.spec, x.Pointer, e.Name, strings.Join(p.Ext.Event.BodyLocations(), ", "))
				}
				exs = append(exs, ex)
			}
		}
		exByPkg[rs.pkg] = exs
		b, err := json.Marshal(exs)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, rs.pkg, "examples.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, rs.pkg, "verdicts_test.go"), fmt.Appendf(nil, verdictTest, rs.pkg), 0o644); err != nil {
			t.Fatal(err)
		}
		// A file unique to this run, so that go build compiles the
		// package rather than finding it in the build cache: the build
		// time measured is the package's own.
		nonce := fmt.Appendf(nil, "package %s\n\nconst buildNonce = %d\n", rs.pkg, time.Now().UnixNano())
		if err := os.WriteFile(filepath.Join(dir, rs.pkg, "nonce.go"), nonce, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) (time.Duration, int64, error) { return goIn(dir, args...) }
	for i, rs := range specs {
		if _, err := os.Stat(filepath.Join(dir, rs.pkg)); err != nil {
			continue
		}
		d, rss, err := run("build", "./"+rs.pkg)
		rows[i].buildTime, rows[i].buildRSS = d, rss
		if err != nil {
			t.Errorf("%s: %v", rows[i].spec, err)
		}
	}
	if _, _, err := run("vet", "./..."); err != nil {
		t.Error(err)
	}
	if _, _, err := run("test", "-count=1", "./..."); err != nil {
		t.Fatal(err)
	}
	for i, rs := range specs {
		exs := exByPkg[rs.pkg]
		if len(exs) == 0 {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, rs.pkg, "verdicts.json"))
		if err != nil {
			t.Fatal(err)
		}
		var got []bool
		if err := json.Unmarshal(data, &got); err != nil || len(got) != len(exs) {
			t.Fatalf("%s: verdicts: %v (%d of %d)", rows[i].spec, err, len(got), len(exs))
		}
		r := rows[i]
		r.examples = len(exs)
		for j, x := range exs {
			if got[j] {
				r.generatedAccepts++
			}
			if x.runner {
				r.examplesByTheRunner++
			}
			if got[j] != x.runner {
				r.disagree++
				t.Errorf("%s: example %s of %s: generated validator accepts=%v, runner accepts=%v (%s)", r.spec, x.Name, x.Event, got[j], x.runner, x.comment)
			}
		}
	}
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "spec\twebhooks\tgenerated lines\tgenerate\tgo build\tbuild max RSS\troots with an acceptor\texamples\taccepted (gen/runner)\tdisagree\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.2fs\t%.2fs\t%d MB\t%d/%d\t%d\t%d/%d\t%d\t\n", r.spec, r.webhooks, r.lines, r.genTime.Seconds(), r.buildTime.Seconds(), r.buildRSS/1024, r.accepted, r.roots, r.examples, r.generatedAccepts, r.examplesByTheRunner, r.disagree)
	}
	tw.Flush()
	t.Logf("%s, as published:\n%s", base, b.String())
}

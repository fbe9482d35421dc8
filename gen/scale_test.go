package gen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hookcontract/hookcontract/internal/contract"
)

// githubSizedSpec writes, deterministically, a synthetic OpenAPI 3.1
// document shaped like GitHub's published webhooks: 260 webhooks keyed
// family-action (issues-opened, check-run-completed) with the family in
// the X-Github-Event header (underscored, as GitHub sends it) and the
// action pinned by a one-value enum at /action; about 430 component
// schemas; every body referring to shared user, repository, installation,
// organization and enterprise schemas, and inlining, as GitHub's does,
// copies of its family's object with user objects inside (identical copies
// across the actions of a family, a variation for some actions), plus a
// changes object of its own; about 5 MB of JSON.
func githubSizedSpec() []byte {
	ref := func(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }
	str := map[string]any{"type": "string"}
	uri := map[string]any{"type": "string", "format": "uri"}
	nstr := map[string]any{"type": []any{"string", "null"}}
	integer := map[string]any{"type": "integer"}
	boolean := map[string]any{"type": "boolean"}
	when := map[string]any{"type": "string", "format": "date-time"}
	nwhen := map[string]any{"type": []any{"string", "null"}, "format": "date-time"}
	object := func(required []string, props map[string]any) map[string]any {
		o := map[string]any{"type": "object", "properties": props}
		if len(required) > 0 {
			o["required"] = required
		}
		return o
	}
	nullable := func(s map[string]any) map[string]any {
		return map[string]any{"anyOf": []any{map[string]any{"type": "null"}, s}}
	}
	// user is GitHub's inline User object, copied into every body that
	// names a person.
	user := func() map[string]any {
		props := map[string]any{
			"login": str, "id": integer, "node_id": str, "avatar_url": uri, "gravatar_id": nstr,
			"url": uri, "html_url": uri, "followers_url": uri, "following_url": str, "gists_url": str,
			"starred_url": str, "subscriptions_url": uri, "organizations_url": uri, "repos_url": uri,
			"events_url": str, "received_events_url": uri, "site_admin": boolean, "name": str, "email": nstr,
			"type":           map[string]any{"type": "string", "enum": []any{"Bot", "User", "Organization"}},
			"user_view_type": str,
		}
		o := object([]string{"login", "id"}, props)
		o["title"] = "User"
		o["type"] = []any{"object", "null"}
		return o
	}
	schemas := map[string]any{}
	schemas["simple-user"] = user()
	repoProps := map[string]any{
		"id": integer, "node_id": str, "name": str, "full_name": str, "private": boolean, "owner": ref("simple-user"),
		"description": nstr, "fork": boolean, "homepage": nstr, "size": integer, "language": nstr,
		"created_at": map[string]any{"oneOf": []any{integer, when}}, "updated_at": when, "pushed_at": map[string]any{"oneOf": []any{integer, when, map[string]any{"type": "null"}}},
		"license": nullable(ref("license-simple")), "topics": map[string]any{"type": "array", "items": str},
		"visibility":     map[string]any{"type": "string", "enum": []any{"public", "private", "internal"}},
		"default_branch": str, "archived": boolean, "disabled": boolean, "mirror_url": nstr,
		"permissions":       object([]string{"pull", "push", "admin"}, map[string]any{"pull": boolean, "push": boolean, "admin": boolean, "maintain": boolean, "triage": boolean}),
		"custom_properties": map[string]any{"type": "object", "additionalProperties": true},
	}
	for _, u := range []string{"html", "forks", "keys", "collaborators", "teams", "hooks", "issue_events", "events", "assignees", "branches", "tags", "blobs", "git_tags", "git_refs", "trees", "statuses", "languages", "stargazers", "contributors", "subscribers", "subscription", "commits", "git_commits", "comments", "issue_comment", "contents", "compare", "merges", "archive", "downloads", "issues", "pulls", "milestones", "notifications", "labels", "releases", "deployments", "git", "ssh", "clone", "svn"} {
		repoProps[u+"_url"] = uri
	}
	for _, c := range []string{"stargazers", "watchers", "forks", "open_issues"} {
		repoProps[c+"_count"] = integer
	}
	for _, f := range []string{"has_issues", "has_projects", "has_downloads", "has_wiki", "has_pages", "has_discussions", "allow_squash_merge", "allow_merge_commit", "allow_rebase_merge", "allow_auto_merge", "delete_branch_on_merge", "allow_forking", "is_template", "web_commit_signoff_required"} {
		repoProps[f] = boolean
	}
	schemas["repository-webhooks"] = object([]string{"id", "node_id", "name", "full_name", "private", "owner"}, repoProps)
	schemas["license-simple"] = object([]string{"key", "name"}, map[string]any{"key": str, "name": str, "url": nstr, "spdx_id": nstr, "node_id": str, "html_url": uri})
	schemas["simple-installation"] = object([]string{"id", "node_id"}, map[string]any{"id": integer, "node_id": str})
	schemas["organization-simple-webhooks"] = object([]string{"login", "id"}, map[string]any{
		"login": str, "id": integer, "node_id": str, "url": uri, "repos_url": uri, "events_url": uri, "hooks_url": str,
		"issues_url": str, "members_url": str, "public_members_url": str, "avatar_url": str, "description": nstr,
	})
	schemas["enterprise-webhooks"] = object([]string{"id", "slug", "name"}, map[string]any{
		"id": integer, "slug": str, "name": str, "node_id": str, "avatar_url": uri, "description": nstr,
		"website_url": map[string]any{"type": []any{"string", "null"}, "format": "uri"}, "html_url": uri, "created_at": nwhen, "updated_at": nwhen,
	})
	// Families: an event GitHub sends under one X-Github-Event value, with
	// its actions. Ten have none (push, ping, ...), fifty have five.
	single := []string{"push", "ping", "create", "delete", "fork", "gollum", "public", "status", "watch", "meta"}
	words := []string{"issues", "pull_request", "check_run", "check_suite", "deployment", "deployment_status", "discussion", "discussion_comment", "issue_comment", "label",
		"member", "membership", "milestone", "organization", "package", "page_build", "project", "project_card", "project_column", "projects_v2",
		"projects_v2_item", "pull_request_review", "pull_request_review_comment", "pull_request_review_thread", "registry_package", "release", "repository", "repository_dispatch", "repository_ruleset", "repository_vulnerability_alert",
		"secret_scanning_alert", "secret_scanning_alert_location", "security_advisory", "sponsorship", "star", "team", "team_add", "workflow_dispatch", "workflow_job", "workflow_run",
		"code_scanning_alert", "commit_comment", "custom_property", "custom_property_values", "dependabot_alert", "deploy_key", "github_app_authorization", "installation", "installation_repositories", "installation_target"}
	actions := []string{"created", "deleted", "edited", "closed", "reopened"}
	// A family object: its own members, users inline, a shared component of
	// its own, and nested objects; families differ in size and shape.
	familyObject := func(fi int, fam string) map[string]any {
		props := map[string]any{"id": integer, "node_id": str, "url": uri, "html_url": uri, "created_at": when, "updated_at": when, "body": nstr}
		props["user"] = user()
		props["assignee"] = nullable(ref("simple-user"))
		props["assignees"] = map[string]any{"type": "array", "items": user()}
		props["labels"] = map[string]any{"type": "array", "items": object([]string{"id", "name", "color"}, map[string]any{
			"id": integer, "node_id": str, "url": uri, "name": str, "description": nstr, "color": map[string]any{"type": "string", "pattern": "^[0-9a-fA-F]{6}$"}, "default": boolean,
		})}
		props["milestone"] = nullable(object([]string{"id", "number", "title"}, map[string]any{
			"id": integer, "number": integer, "title": str, "description": nstr, "creator": ref("simple-user"), "open_issues": integer,
			"closed_issues": integer, "state": map[string]any{"type": "string", "enum": []any{"open", "closed"}}, "due_on": nwhen, "closed_at": nwhen,
		}))
		props["reactions"] = object([]string{"url", "total_count"}, map[string]any{"url": uri, "total_count": integer, "+1": integer, "-1": integer, "laugh": integer, "confused": integer, "heart": integer, "hooray": integer, "eyes": integer, "rocket": integer})
		props["performed_via_github_app"] = nullable(object([]string{"id", "slug", "name"}, map[string]any{
			"id": integer, "slug": str, "node_id": str, "owner": ref("simple-user"), "name": str, "description": nstr, "external_url": uri, "html_url": uri,
			"created_at": when, "updated_at": when, "events": map[string]any{"type": "array", "items": str},
			"permissions": map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string", "enum": []any{"read", "write", "admin"}}},
		}))
		props["state"] = map[string]any{"type": "string", "enum": []any{"open", "closed", "locked"}}
		for k := 0; k < 4+fi%8; k++ {
			switch k % 4 {
			case 0:
				props[fmt.Sprintf("%s_count_%d", fam, k)] = integer
			case 1:
				props[fmt.Sprintf("%s_name_%d", fam, k)] = str
			case 2:
				props[fmt.Sprintf("%s_flag_%d", fam, k)] = boolean
			default:
				props[fmt.Sprintf("%s_detail_%d", fam, k)] = ref(fmt.Sprintf("%s-detail-%d", strings.ReplaceAll(fam, "_", "-"), k))
			}
		}
		return object([]string{"id", "node_id", "url", "user", "state"}, props)
	}
	var keys []string
	webhooks := map[string]any{}
	hook := func(key, family, schema string) {
		keys = append(keys, key)
		params := []any{
			map[string]any{"name": "User-Agent", "in": "header", "example": "GitHub-Hookshot/123abc", "schema": str},
			map[string]any{"name": "X-Github-Hook-Id", "in": "header", "example": 12312312, "schema": str},
			map[string]any{"name": "X-Github-Event", "in": "header", "example": "issues", "schema": str},
			map[string]any{"name": "X-Github-Delivery", "in": "header", "example": "0b989ba4-242f-11e5-81e1-c7b6966d2516", "schema": str},
			map[string]any{"name": "X-Hub-Signature-256", "in": "header", "example": "sha256=6dcb09b5b57875f334f61aebed695e2e4193db5e", "schema": str},
		}
		webhooks[key] = map[string]any{"post": map[string]any{
			"summary":     "This event occurs when there is activity relating to " + family + ".",
			"operationId": strings.Replace(key, "-", "/", 1),
			"parameters":  params,
			"requestBody": map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": ref(schema)}}},
			"responses":   map[string]any{"200": map[string]any{"description": "Return a 200 status to indicate that the data was received successfully"}},
			"x-github":    map[string]any{"category": "webhooks", "subcategory": family, "supported-webhook-types": []any{"repository", "organization", "app"}},
		}}
	}
	envelope := func(props map[string]any, required ...string) map[string]any {
		props["repository"] = ref("repository-webhooks")
		props["sender"] = ref("simple-user")
		props["installation"] = ref("simple-installation")
		props["organization"] = ref("organization-simple-webhooks")
		props["enterprise"] = ref("enterprise-webhooks")
		return object(append(required, "repository", "sender"), props)
	}
	for _, fam := range single {
		name := "webhook-" + fam
		schemas[name] = envelope(map[string]any{
			"ref": str, "before": str, "after": str, "created": boolean, "deleted": boolean, "forced": boolean,
			"head_commit": nullable(object([]string{"id", "message"}, map[string]any{"id": str, "tree_id": str, "message": str, "timestamp": when, "author": object([]string{"name"}, map[string]any{"name": str, "email": nstr, "username": str})})),
			"pusher":      user(),
		})
		hook(fam, fam, name)
	}
	for fi, fam := range words {
		dash := strings.ReplaceAll(fam, "_", "-")
		obj := familyObject(fi, fam)
		schemas[dash] = obj // the family's own component (GitHub's issue, pull-request, ...)
		for k := 3; k < 4+fi%8; k += 4 {
			schemas[fmt.Sprintf("%s-detail-%d", dash, k)] = object([]string{"id"}, map[string]any{"id": integer, "kind": str, "note": nstr, "at": when, "by": ref("simple-user")})
		}
		for ai, act := range actions {
			name := "webhook-" + dash + "-" + act
			body := familyObject(fi, fam) // an inline copy, as GitHub writes them
			body["title"] = strings.ToUpper(dash[:1]) + dash[1:]
			body["description"] = "The " + fam + " the webhook was " + act + " for." // annotations differ copy by copy
			if act == "closed" || act == "reopened" {
				// Some actions narrow the family object.
				body = map[string]any{"allOf": []any{body, object([]string{"state"}, map[string]any{"state": map[string]any{"type": "string", "enum": []any{map[string]string{"closed": "closed", "reopened": "open"}[act]}}})}}
			}
			props := map[string]any{
				"action": map[string]any{"type": "string", "enum": []any{act}},
				fam:      body,
			}
			if act == "edited" {
				props["changes"] = object(nil, map[string]any{
					"title": object([]string{"from"}, map[string]any{"from": str}),
					"body":  object([]string{"from"}, map[string]any{"from": str}),
				})
			}
			if ai%2 == 1 {
				props["assignee"] = ref("simple-user")
			}
			schemas[name] = envelope(props, "action", fam)
			hook(dash+"-"+act, fam, name)
		}
	}
	// Components no webhook reaches directly, as GitHub's document holds
	// hundreds: shared shapes of the REST API that bodies name by $ref
	// (the detail schemas above) and others.
	for i := 0; len(schemas) < 430; i++ {
		schemas[fmt.Sprintf("rest-shape-%03d", i)] = object([]string{"id"}, map[string]any{"id": integer, "name": str, "owner": ref("simple-user"), "repository": ref("repository-webhooks"), "n": map[string]any{"type": "integer", "minimum": i}})
	}
	sort.Strings(keys)
	doc := map[string]any{
		"openapi":    "3.1.0",
		"info":       map[string]any{"title": "Synthetic GitHub-sized webhooks", "version": "1.1.4", "description": "Generated for scale tests: GitHub's shape, not its content."},
		"paths":      map[string]any{},
		"webhooks":   webhooks,
		"components": map[string]any{"schemas": schemas},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		panic(err) // maps of strings, numbers and slices always encode
	}
	return buf.Bytes()
}

// specShape checks that doc is GitHub-sized (260 webhooks, about 430
// component schemas, about 5 MB) and returns its component count.
func specShape(t *testing.T, doc []byte) int {
	t.Helper()
	var tree struct {
		Webhooks   map[string]any
		Components struct{ Schemas map[string]any }
	}
	if err := json.Unmarshal(doc, &tree); err != nil {
		t.Fatal(err)
	}
	n := len(tree.Components.Schemas)
	t.Logf("synthetic spec: %d webhooks, %d component schemas, %d bytes", len(tree.Webhooks), n, len(doc))
	if len(tree.Webhooks) != 260 || n < 400 || n > 460 || len(doc) < 4e6 || len(doc) > 6e6 {
		t.Errorf("synthetic spec: %d webhooks, %d component schemas, %d bytes; want 260, about 430, about 5 MB", len(tree.Webhooks), n, len(doc))
	}
	return n
}

// TestGitHubSizedSpecShape: the synthetic document is deterministic and
// GitHub-sized.
func TestGitHubSizedSpecShape(t *testing.T) {
	doc := githubSizedSpec()
	if !bytes.Equal(doc, githubSizedSpec()) {
		t.Fatal("the synthetic spec is not deterministic")
	}
	specShape(t, doc)
}

// TestGitHubSizedSpec generates the synthetic GitHub-sized document
// (githubSizedSpec) into a temporary module, builds the package, and
// reports generate time, generated lines, go build time and the build's
// peak RSS beside the targets (generate < 10 s, go build < 15 s and
// < 1.5 GB on 2 cores). Opt-in: HOOKCONTRACT_SCALE=1 (make scale). The
// figures are reported, not asserted: a timed assertion fails on a busy
// machine, not on a slow generator.
func TestGitHubSizedSpec(t *testing.T) {
	if os.Getenv("HOOKCONTRACT_SCALE") == "" {
		t.Skip("set HOOKCONTRACT_SCALE=1 (make scale) to generate and build a GitHub-sized spec")
	}
	doc := githubSizedSpec()
	specDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(specDir, "api.github.com.json"), doc, 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	p, err := contract.LoadFileWith(os.DirFS(specDir), "api.github.com.json", contract.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	loadTime := time.Since(start)
	files, err := Generate(p, Options{Package: "githubsized", Source: "api.github.com.json"})
	genTime := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	webhooks := 0
	for _, e := range p.Events {
		if e.Kind == contract.KindWebhook {
			webhooks++
		}
	}
	if locs := p.Ext.Event.Locations(); len(locs) != 1 || locs[0].String() != "header:X-Github-Event/action" || p.Ext.Event.Sep() != "-" {
		t.Errorf("event locations %v, separator %q; want header:X-Github-Event/action, -", locs, p.Ext.Event.Sep())
	}
	comps := specShape(t, doc)
	var b strings.Builder
	lines := 0
	for _, n := range files.Names() {
		l := bytes.Count(files[n], []byte("\n"))
		lines += l
		fmt.Fprintf(&b, "  %-32s %8d lines %9d bytes\n", n, l, len(files[n]))
	}
	dir := tempModule(t)
	if err := WriteDir(filepath.Join(dir, "githubsized"), files); err != nil {
		t.Fatal(err)
	}
	nonce := fmt.Appendf(nil, "package githubsized\n\nconst buildNonce = %d\n", time.Now().UnixNano())
	if err := os.WriteFile(filepath.Join(dir, "githubsized", "nonce.go"), nonce, 0o644); err != nil {
		t.Fatal(err)
	}
	// The dependencies (the standard library) first, so that the build
	// measured is the package's own.
	if _, err := goUsage(dir, "build", "std"); err != nil {
		t.Fatal(err)
	}
	build, err := goUsage(dir, "build", "./githubsized")
	if err != nil {
		t.Fatal(err)
	}
	verdict := func(ok bool) string {
		if ok {
			return "meets"
		}
		return "MISSES"
	}
	t.Logf("synthetic GitHub-sized spec: %d webhooks, %d component schemas, %.1f MB\n"+
		"load %.2fs, generate (load included) %.2fs (target < 10 s: %s)\n"+
		"generated %d lines in %d files:\n%s"+
		"go build %.2fs wall, %.2fs CPU (target < 15 s: %s), peak RSS %d MB (target < 1536 MB: %s)",
		webhooks, comps, float64(len(doc))/1e6, loadTime.Seconds(), genTime.Seconds(), verdict(genTime < 10*time.Second),
		lines, len(files), b.String(), build.wall.Seconds(), build.cpu.Seconds(), verdict(build.wall < 15*time.Second), build.rssKiB/1024, verdict(build.rssKiB/1024 < 1536))
}

// BenchmarkGenerateGitHubSized loads and generates the synthetic
// GitHub-sized document (githubSizedSpec), bytes being the document's.
func BenchmarkGenerateGitHubSized(b *testing.B) {
	doc := githubSizedSpec()
	specDir := b.TempDir()
	if err := os.WriteFile(filepath.Join(specDir, "api.github.com.json"), doc, 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := contract.LoadFileWith(os.DirFS(specDir), "api.github.com.json", contract.LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Generate(p, Options{Package: "githubsized", Source: "api.github.com.json"}); err != nil {
			b.Fatal(err)
		}
	}
}

# hookcontract — see README.md.
GO          ?= go
TOOLS       := $(CURDIR)/.tools
STATICCHECK := $(TOOLS)/staticcheck
STATICCHECK_VERSION := v0.8.2
PKGS        := ./...

.PHONY: test generate check-generated lint bench fuzz tools release-check scale

## test: everything CI checks: lint, generated code up to date, all tests
## (redisdedupe's run against redis-server at HOOKCONTRACT_REDIS_ADDR,
## default 127.0.0.1:6379; they skip without one unless CI or
## HOOKCONTRACT_REQUIRE_REDIS is set)
test: lint check-generated
	$(GO) test -count=1 $(PKGS)
	cd runtime && $(GO) test -count=1 ./...
	cd generated && $(GO) test -count=1 ./...
	cd bench && $(GO) test -count=1 ./...
	cd redisdedupe && $(GO) test -count=1 ./...

## generate: regenerate the generated/ module from the embedded specs
generate:
	$(GO) run ./cmd/hookcontract generate --config hookcontract.yaml

## scale: generate and build a synthetic GitHub-sized spec (260 webhooks, 430 schemas, 5 MB) and report generate time, lines, go build time and peak RSS
scale:
	HOOKCONTRACT_SCALE=1 $(GO) test -count=1 -run 'TestGitHubSizedSpec$$' -v -timeout 20m ./gen

## check-generated: regenerate in memory and fail with a diff on drift
check-generated:
	$(GO) run ./cmd/hookcontract generate --config hookcontract.yaml --check

## lint: gofmt, go vet and staticcheck (pinned)
lint: $(STATICCHECK)
	@out=$$(gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	cd runtime && $(GO) vet ./...
	cd generated && $(GO) vet ./...
	cd bench && $(GO) vet ./...
	cd redisdedupe && $(GO) vet ./...
	$(STATICCHECK) $(PKGS)
	cd runtime && $(STATICCHECK) ./...
	cd generated && $(STATICCHECK) ./...
	cd bench && $(STATICCHECK) ./...
	cd redisdedupe && $(STATICCHECK) ./...

$(STATICCHECK):
	GOBIN=$(TOOLS) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

tools: $(STATICCHECK)

## release-check: the semver bump the generated module's API changes need
## since the last generated/vX.Y.Z tag (VERSION=vX.Y.Z: fail if too small)
release-check:
	$(GO) run ./internal/releasecheck $(if $(VERSION),-next $(VERSION))

## bench: benchmarks beside the reference validator and encoding/json
bench:
	cd bench && $(GO) test -run '^$$' -bench . -benchmem .
	$(GO) test -run '^$$' -bench . -benchmem ./contracttest

## fuzz: run each fuzz target for FUZZTIME (default 30s)
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./contracttest
	$(GO) test -run '^$$' -fuzz '^FuzzCheck$$' -fuzztime $(FUZZTIME) ./contracttest
	$(GO) test -run '^$$' -fuzz '^FuzzValidate$$' -fuzztime $(FUZZTIME) ./gen/schemagen
	$(GO) test -run '^$$' -fuzz '^FuzzPointerAgrees$$' -fuzztime $(FUZZTIME) ./gen/schemagen
	$(GO) test -run '^$$' -fuzz '^FuzzEventLocations$$' -fuzztime $(FUZZTIME) ./gen/support
	cd runtime && $(GO) test -run '^$$' -fuzz '^FuzzScanner$$' -fuzztime $(FUZZTIME) ./hcrt
	cd runtime && $(GO) test -run '^$$' -fuzz '^FuzzSkipValue$$' -fuzztime $(FUZZTIME) ./hcrt
	cd runtime && $(GO) test -run '^$$' -fuzz '^FuzzFmtUUID$$' -fuzztime $(FUZZTIME) ./hcrt
	cd runtime && $(GO) test -run '^$$' -fuzz '^FuzzStandardWebhooksVerify$$' -fuzztime $(FUZZTIME) ./hcrt
	cd runtime && $(GO) test -run '^$$' -fuzz '^FuzzDecodeJSON$$' -fuzztime $(FUZZTIME) ./hcrt
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/capture
	$(GO) test -run '^$$' -fuzz '^FuzzEdits$$' -fuzztime $(FUZZTIME) ./internal/contractdiff
	for p in ampersand salesforce salesiq sonar tickets; do \
	  (cd generated && $(GO) test -run '^$$' -fuzz '^FuzzHandler$$' -fuzztime $(FUZZTIME) ./$$p) || exit 1; \
	done

#!/usr/bin/env bash
# Regenerates the signature test vectors with openssl: keys, secrets,
# bodies, headers and the verdict every conforming verifier must reach.
# Every run makes new keys and secrets; the committed outputs are the
# reference. Usage: testdata/signatures/make.sh [OUTDIR] (default: the
# directory of this script). Needs bash, openssl (1.1.1 or 3.x), od and tr.
set -euo pipefail
out="${1:-$(cd "$(dirname "$0")" && pwd)}"
command -v openssl >/dev/null || { echo "make.sh: openssl not found" >&2; exit 2; }

# b64 FILE... : base64 of the concatenated files, one line.
b64() { cat "$@" | openssl base64 -A; }
# hexof : hex of stdin, one line.
hexof() { od -An -v -tx1 | tr -d ' \n'; }

#
# rsa-pkcs1v15-sha256 (Zoho SalesIQ: x-siqsignature)
#
d="$out/rsa-pkcs1v15-sha256"
rm -rf "$d" && mkdir -p "$d/keys" "$d/bodies"
for k in key-a key-b wrong; do
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$d/keys/$k.pem" 2>/dev/null
  openssl pkey -in "$d/keys/$k.pem" -pubout -out "$d/keys/$k.pub.pem"
done
# A rotation: both public keys in one PEM file.
cat "$d/keys/key-a.pub.pem" "$d/keys/key-b.pub.pem" > "$d/keys/rotation.pub.pem"
printf '%s\n' '{"version":"1","event":"department.deleted","event_time":"1700000000123","org_id":"60001234567","attempt":1,"entity_type":"department","entity_id":"4000000018003","note":"Zoë"}' > "$d/bodies/delivery.json"
# Tampered: one digit of entity_id changed after signing.
sed 's/"4000000018003"/"4000000018004"/' "$d/bodies/delivery.json" > "$d/bodies/tampered.json"
# Whitespace only: same JSON value, other bytes. Signatures cover bytes.
sed 's/,"attempt"/, "attempt"/' "$d/bodies/delivery.json" > "$d/bodies/reformatted.json"

rsasig() { openssl dgst -sha256 -sign "$d/keys/$1.pem" -binary "$d/bodies/delivery.json" | openssl base64 -A; }
sig_a=$(rsasig key-a)
sig_b=$(rsasig key-b)
sig_wrong=$(rsasig wrong)
# Tampered signature: the first character replaced (still base64).
first=${sig_a:0:1}; repl=A; [ "$first" = A ] && repl=B
sig_tampered="$repl${sig_a:1}"

cat > "$d/vectors.json" <<JSON
{
  "profile": "rsa-pkcs1v15-sha256",
  "scheme": {"header": "x-siqsignature", "encoding": "base64"},
  "cases": [
    {"name": "valid", "description": "signed with key-a, verified with key-a",
     "body": "bodies/delivery.json", "headers": {"x-siqsignature": "$sig_a"},
     "keys": ["keys/key-a.pub.pem"], "expect": "valid"},
    {"name": "rotated-key", "description": "signed with the new key-b while key-a and key-b are both configured",
     "body": "bodies/delivery.json", "headers": {"x-siqsignature": "$sig_b"},
     "keys": ["keys/rotation.pub.pem"], "expect": "valid"},
    {"name": "rotated-key-old", "description": "signed with the old key-a while key-a and key-b are both configured",
     "body": "bodies/delivery.json", "headers": {"x-siqsignature": "$sig_a"},
     "keys": ["keys/key-b.pub.pem", "keys/key-a.pub.pem"], "expect": "valid"},
    {"name": "retired-key", "description": "signed with key-a after the rotation ended: only key-b is configured",
     "body": "bodies/delivery.json", "headers": {"x-siqsignature": "$sig_a"},
     "keys": ["keys/key-b.pub.pem"], "expect": "invalid-signature"},
    {"name": "tampered-body", "description": "one digit of the body changed after signing",
     "body": "bodies/tampered.json", "headers": {"x-siqsignature": "$sig_a"},
     "keys": ["keys/key-a.pub.pem"], "expect": "invalid-signature"},
    {"name": "reformatted-body", "description": "the same JSON value with one more space: signatures cover bytes, not values",
     "body": "bodies/reformatted.json", "headers": {"x-siqsignature": "$sig_a"},
     "keys": ["keys/key-a.pub.pem"], "expect": "invalid-signature"},
    {"name": "tampered-signature", "description": "the first character of the signature changed",
     "body": "bodies/delivery.json", "headers": {"x-siqsignature": "$sig_tampered"},
     "keys": ["keys/key-a.pub.pem"], "expect": "invalid-signature"},
    {"name": "wrong-key", "description": "signed with a key that is not configured",
     "body": "bodies/delivery.json", "headers": {"x-siqsignature": "$sig_wrong"},
     "keys": ["keys/key-a.pub.pem"], "expect": "invalid-signature"},
    {"name": "malformed-header", "description": "the header is not base64",
     "body": "bodies/delivery.json", "headers": {"x-siqsignature": "not base64!"},
     "keys": ["keys/key-a.pub.pem"], "expect": "malformed"},
    {"name": "missing-header", "description": "no x-siqsignature header",
     "body": "bodies/delivery.json", "headers": {},
     "keys": ["keys/key-a.pub.pem"], "expect": "missing"}
  ]
}
JSON

#
# standard-webhooks (Svix, under svix-* and webhook-* headers)
#
d="$out/standard-webhooks"
rm -rf "$d" && mkdir -p "$d/bodies"
printf '%s\n' '{"notificationType":"connection.deleted","data":{"projectId":"p-1","connectionId":"c-1","provider":"salesforce","groupRef":"g-1","consumerRef":"u-1","consumerName":"Zoë"}}' > "$d/bodies/delivery.json"
sed 's/"c-1"/"c-2"/' "$d/bodies/delivery.json" > "$d/bodies/tampered.json"
secret_old="whsec_$(openssl rand -base64 24)"
secret_new="whsec_$(openssl rand -base64 24)"
secret_wrong="whsec_$(openssl rand -base64 24)"
id="msg_2LJ8wWpQZ5nyf0N7ys1ZVnYaBt1"
ts=1700000000

swsig() { # SECRET ID TS
  local keyhex
  keyhex=$(printf '%s' "${1#whsec_}" | openssl base64 -d -A | hexof)
  { printf '%s.%s.' "$2" "$3"; cat "$d/bodies/delivery.json"; } |
    openssl dgst -sha256 -mac HMAC -macopt "hexkey:$keyhex" -binary | openssl base64 -A
}
s_old=$(swsig "$secret_old" "$id" "$ts")
s_new=$(swsig "$secret_new" "$id" "$ts")
s_wrong=$(swsig "$secret_wrong" "$id" "$ts")
s_otherid=$(swsig "$secret_old" "msg_other" "$ts")

cat > "$d/vectors.json" <<JSON
{
  "profile": "standard-webhooks",
  "scheme": {"headers": {"id": "svix-id", "timestamp": "svix-timestamp", "signature": "svix-signature"},
             "tolerance": "5m", "secretPrefix": "whsec_"},
  "cases": [
    {"name": "valid", "description": "signed 10 s before now",
     "body": "bodies/delivery.json", "now": $((ts + 10)), "secrets": ["$secret_old"],
     "headers": {"svix-id": "$id", "svix-timestamp": "$ts", "svix-signature": "v1,$s_old"}, "expect": "valid"},
    {"name": "valid-webhook-headers", "description": "the same delivery under the standard webhook-* header names",
     "body": "bodies/delivery.json", "now": $((ts + 10)), "secrets": ["$secret_old"],
     "headers": {"webhook-id": "$id", "webhook-timestamp": "$ts", "webhook-signature": "v1,$s_old"}, "expect": "valid"},
    {"name": "tolerance-edge", "description": "signed exactly 300 s (the tolerance) before now",
     "body": "bodies/delivery.json", "now": $((ts + 300)), "secrets": ["$secret_old"],
     "headers": {"svix-id": "$id", "svix-timestamp": "$ts", "svix-signature": "v1,$s_old"}, "expect": "valid"},
    {"name": "rotated-secret", "description": "signed with the new secret while both are configured",
     "body": "bodies/delivery.json", "now": $ts, "secrets": ["$secret_old", "$secret_new"],
     "headers": {"svix-id": "$id", "svix-timestamp": "$ts", "svix-signature": "v1,$s_new"}, "expect": "valid"},
    {"name": "several-signatures", "description": "a v1a entry, a wrong v1 entry and the right one",
     "body": "bodies/delivery.json", "now": $ts, "secrets": ["$secret_old"],
     "headers": {"svix-id": "$id", "svix-timestamp": "$ts", "svix-signature": "v1a,$s_wrong v1,$s_wrong v1,$s_old"}, "expect": "valid"},
    {"name": "tampered-body", "description": "one character of the body changed after signing",
     "body": "bodies/tampered.json", "now": $ts, "secrets": ["$secret_old"],
     "headers": {"svix-id": "$id", "svix-timestamp": "$ts", "svix-signature": "v1,$s_old"}, "expect": "invalid-signature"},
    {"name": "tampered-id", "description": "signed for another message id",
     "body": "bodies/delivery.json", "now": $ts, "secrets": ["$secret_old"],
     "headers": {"svix-id": "$id", "svix-timestamp": "$ts", "svix-signature": "v1,$s_otherid"}, "expect": "invalid-signature"},
    {"name": "tampered-timestamp", "description": "the timestamp moved by one second after signing",
     "body": "bodies/delivery.json", "now": $ts, "secrets": ["$secret_old"],
     "headers": {"svix-id": "$id", "svix-timestamp": "$((ts + 1))", "svix-signature": "v1,$s_old"}, "expect": "invalid-signature"},
    {"name": "wrong-secret", "description": "signed with a secret that is not configured",
     "body": "bodies/delivery.json", "now": $ts, "secrets": ["$secret_old"],
     "headers": {"svix-id": "$id", "svix-timestamp": "$ts", "svix-signature": "v1,$s_wrong"}, "expect": "invalid-signature"},
    {"name": "stale-timestamp", "description": "signed 301 s before now",
     "body": "bodies/delivery.json", "now": $((ts + 301)), "secrets": ["$secret_old"],
     "headers": {"svix-id": "$id", "svix-timestamp": "$ts", "svix-signature": "v1,$s_old"}, "expect": "stale-timestamp"},
    {"name": "future-timestamp", "description": "signed 301 s after now",
     "body": "bodies/delivery.json", "now": $((ts - 301)), "secrets": ["$secret_old"],
     "headers": {"svix-id": "$id", "svix-timestamp": "$ts", "svix-signature": "v1,$s_old"}, "expect": "stale-timestamp"},
    {"name": "malformed-timestamp", "description": "the timestamp is not Unix seconds",
     "body": "bodies/delivery.json", "now": $ts, "secrets": ["$secret_old"],
     "headers": {"svix-id": "$id", "svix-timestamp": "2023-11-14T22:13:20Z", "svix-signature": "v1,$s_old"}, "expect": "malformed"},
    {"name": "malformed-header", "description": "no v1,<base64> entry in the signature header",
     "body": "bodies/delivery.json", "now": $ts, "secrets": ["$secret_old"],
     "headers": {"svix-id": "$id", "svix-timestamp": "$ts", "svix-signature": "v1:$s_old"}, "expect": "malformed"},
    {"name": "missing-signature", "description": "no signature header",
     "body": "bodies/delivery.json", "now": $ts, "secrets": ["$secret_old"],
     "headers": {"svix-id": "$id", "svix-timestamp": "$ts"}, "expect": "missing"}
  ]
}
JSON

#
# hmac-sha256 (a MAC of the body in one header)
#
d="$out/hmac-sha256"
rm -rf "$d" && mkdir -p "$d/bodies"
printf '%s\n' '{"event":"order.paid","id":"evt_1","amount":1250,"note":"Zoë"}' > "$d/bodies/delivery.json"
sed 's/1250/1251/' "$d/bodies/delivery.json" > "$d/bodies/tampered.json"
key_old=$(openssl rand -hex 16)
key_new=$(openssl rand -hex 16)
key_wrong=$(openssl rand -hex 16)
mac() { openssl dgst -sha256 -mac HMAC -macopt "key:$1" -binary "$d/bodies/delivery.json"; }
h_old=$(mac "$key_old" | hexof)
h_new=$(mac "$key_new" | hexof)
h_wrong=$(mac "$key_wrong" | hexof)
b_old=$(mac "$key_old" | openssl base64 -A)

cat > "$d/vectors.json" <<JSON
{
  "profile": "hmac-sha256",
  "scheme": {"header": "x-signature", "encoding": "hex"},
  "note": "secrets are used as the bytes of the string given",
  "cases": [
    {"name": "valid", "description": "hex MAC under the configured secret",
     "body": "bodies/delivery.json", "secrets": ["$key_old"], "headers": {"x-signature": "$h_old"}, "expect": "valid"},
    {"name": "valid-base64", "description": "base64 MAC, for a scheme with encoding base64",
     "body": "bodies/delivery.json", "encoding": "base64", "secrets": ["$key_old"], "headers": {"x-signature": "$b_old"}, "expect": "valid"},
    {"name": "rotated-secret", "description": "signed with the new secret while both are configured",
     "body": "bodies/delivery.json", "secrets": ["$key_old", "$key_new"], "headers": {"x-signature": "$h_new"}, "expect": "valid"},
    {"name": "tampered-body", "description": "one digit of the body changed after signing",
     "body": "bodies/tampered.json", "secrets": ["$key_old"], "headers": {"x-signature": "$h_old"}, "expect": "invalid-signature"},
    {"name": "wrong-secret", "description": "signed with a secret that is not configured",
     "body": "bodies/delivery.json", "secrets": ["$key_old"], "headers": {"x-signature": "$h_wrong"}, "expect": "invalid-signature"},
    {"name": "wrong-encoding", "description": "a base64 MAC where hex is expected",
     "body": "bodies/delivery.json", "secrets": ["$key_old"], "headers": {"x-signature": "$b_old"}, "expect": "malformed"},
    {"name": "missing-header", "description": "no signature header",
     "body": "bodies/delivery.json", "secrets": ["$key_old"], "headers": {}, "expect": "missing"}
  ]
}
JSON
echo "make.sh: wrote vectors under $out" >&2

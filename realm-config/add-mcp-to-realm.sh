#!/usr/bin/env bash
# Adds keycloak-mcp to an EXISTING realm, without re-creating it: its users, clients, identity providers, flows and
# other settings stay as they are. Uses the admin REST API (curl + jq). Safe to run again: what is there is kept.
#
#   KEYCLOAK_URL=https://sso.example.com REALM=acme MCP_SERVER_URL=https://mcp.example.com/mcp \
#   KEYCLOAK_ADMIN=admin KEYCLOAK_ADMIN_PASSWORD=... realm-config/add-mcp-to-realm.sh
#
# Optional: ADMIN_REALM (master), MCP_SERVER_NAME (the URL), MCP_SERVER_SECRET (else Keycloak generates one, written
# to MCP_SERVER_SECRET_FILE, default ./mcp-server-client-secret, mode 0600), MCP_LOGIN_THEME=auto|yes|no (auto: switch to the mcp theme only if the realm uses Keycloak's default login
# theme), MCP_SCOPES ("mcp:tools mcp:tools:write"), MCP_METADATA_DOCUMENTS=yes|no (yes: accept Client ID Metadata Documents),
# DOWNSTREAM_API (the client id of an API the MCP server calls as the user, step 7), DOWNSTREAM_SCOPE (downstream:read),
# DOWNSTREAM_API_SECRET (else generated, written to DOWNSTREAM_API_SECRET_FILE, default ./downstream-api-client-secret).
#
# It takes the five steps that make a realm an MCP realm, in the order of docs/install.md and of the server's own
# setup (McpRealmSetup in the providers' core package), which does step 4 and the document policy's storage component
# by itself too:
#   1. the realm: attribute mcp.enabled=true, event listener mcp-client-usage (appended), login theme mcp (see above);
#   2. client scopes: mcp:tools, mcp:tools:write (MCP scopes) and mcp-audience (resource audience mapper, made a realm
#      default client scope);
#   3. anonymous registration: the policies mcp-client-registration and (unless MCP_METADATA_DOCUMENTS=no)
#      mcp-client-metadata-documents; Keycloak's "Trusted Hosts" policy removed (the MCP policy keeps the stock
#      registration endpoint closed to anonymous callers); the MCP scopes allowed by "Allowed Client Scopes";
#   4. the required actions mcp-consent-every-time and mcp-offline-access-fallback;
#   5. the MCP server's client;
#   6. on Keycloak before 26.7 only: the client profile and policy keycloak-mcp that carry the pack's rules there;
#   7. only with DOWNSTREAM_API: on-behalf-of calls from the MCP server to that API (docs/on-behalf-of.md).
set -euo pipefail
shopt -s inherit_errexit

die() { echo "add-mcp-to-realm: $*" >&2; exit 2; }
for tool in curl jq; do command -v "$tool" >/dev/null || die "needs $tool"; done
: "${KEYCLOAK_URL:?set KEYCLOAK_URL, e.g. https://sso.example.com}"
: "${REALM:?set REALM, the existing realm to add MCP to}"
: "${MCP_SERVER_URL:?set MCP_SERVER_URL, the canonical URL of the MCP server, e.g. https://mcp.example.com/mcp}"
: "${KEYCLOAK_ADMIN:?set KEYCLOAK_ADMIN (an admin user of ADMIN_REALM)}"
: "${KEYCLOAK_ADMIN_PASSWORD:?set KEYCLOAK_ADMIN_PASSWORD}"
ADMIN_REALM="${ADMIN_REALM:-master}"
MCP_SERVER_NAME="${MCP_SERVER_NAME:-$MCP_SERVER_URL}"
MCP_LOGIN_THEME="${MCP_LOGIN_THEME:-auto}"
MCP_SCOPES="${MCP_SCOPES:-mcp:tools mcp:tools:write}"
MCP_METADATA_DOCUMENTS="${MCP_METADATA_DOCUMENTS:-yes}"
[[ "$MCP_METADATA_DOCUMENTS" =~ ^(yes|no)$ ]] || die "MCP_METADATA_DOCUMENTS must be yes or no"
DOWNSTREAM_API="${DOWNSTREAM_API:-}"
DOWNSTREAM_SCOPE="${DOWNSTREAM_SCOPE:-downstream:read}"
[[ "$DOWNSTREAM_SCOPE" =~ ^[^[:space:]]+$ ]] || die "DOWNSTREAM_SCOPE is one scope name without spaces"
KEYCLOAK_URL="${KEYCLOAK_URL%/}"
POLICY_TYPE="org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy"

# MCP's canonical server URI: lowercase scheme and host, no query, fragment or trailing slash.
CANONICAL='^https?://[a-z0-9.:-]+(/[^?#]*[^/?#])?$'
[[ "$MCP_SERVER_URL" =~ $CANONICAL ]] \
  || die "MCP_SERVER_URL must be canonical (lowercase scheme and host, no trailing slash, query or fragment): $MCP_SERVER_URL"

# Secrets go through 0600 files, never on a command line (visible to other users in ps).
SECRETS="$(mktemp -d)"
trap 'rm -rf "$SECRETS"' EXIT
printf '%s' "$KEYCLOAK_ADMIN_PASSWORD" >"$SECRETS/password"
TOKEN="$(curl -sS -f --max-time 30 --data-urlencode "username=$KEYCLOAK_ADMIN" --data-urlencode "password@$SECRETS/password" \
  -d grant_type=password -d client_id=admin-cli "$KEYCLOAK_URL/realms/$ADMIN_REALM/protocol/openid-connect/token" \
  | jq -r .access_token)" || die "cannot sign in to $KEYCLOAK_URL/realms/$ADMIN_REALM as $KEYCLOAK_ADMIN"
printf 'Authorization: Bearer %s\n' "$TOKEN" >"$SECRETS/authorization"

# api METHOD PATH [JSON]: calls the realm's admin API and prints the body; anything but a 2xx answer stops the script.
api() {
  local method="$1" path="$2" out status
  out="$SECRETS/response"
  local args=(-sS --max-time 30 -o "$out" -w '%{http_code}' -X "$method" -H "@$SECRETS/authorization" -H 'Content-Type: application/json')
  if [ $# -ge 3 ]; then
    printf '%s' "$3" >"$SECRETS/body"
    args+=(--data-binary "@$SECRETS/body")
  fi
  status="$(curl "${args[@]}" "$KEYCLOAK_URL/admin/realms/$REALM$path")" || die "$method $path: no answer from $KEYCLOAK_URL"
  if [ "$status" -lt 200 ] || [ "$status" -ge 300 ]; then
    die "$method $path answered $status: $(cat "$out")"
  fi
  cat "$out"
}

realm="$(api GET "")" || die "realm $REALM not found at $KEYCLOAK_URL"
echo "Adding MCP to realm $REALM at $KEYCLOAK_URL"

# 1. Realm: the MCP switch, the usage listener (appended to the realm's own), the theme.
listeners="$(jq -c '(.eventsListeners // []) + ["mcp-client-usage"] | unique' <<<"$realm")"
theme="$(jq -r '.loginTheme // ""' <<<"$realm")"
# Keycloak replaces the realm's attributes with those sent: send them all, plus ours.
update="$(jq --argjson listeners "$listeners" '{attributes: ((.attributes // {}) + {"mcp.enabled": "true"}), eventsListeners: $listeners}' <<<"$realm")"
if [ "$MCP_LOGIN_THEME" = yes ] || { [ "$MCP_LOGIN_THEME" = auto ] && { [ -z "$theme" ] || [ "$theme" = keycloak.v2 ] || [ "$theme" = mcp ]; }; }; then
  update="$(jq '. + {loginTheme: "mcp"}' <<<"$update")"
  echo "  login theme: mcp"
else
  echo "  login theme: kept ($theme); the MCP consent page needs the mcp theme or a theme based on it"
fi
api PUT "" "$update" >/dev/null
echo "  realm attribute mcp.enabled=true, event listeners $listeners"

# 2. Client scopes.
scope_id() { api GET "/client-scopes" | jq -r --arg name "$1" '.[] | select(.name == $name) | .id'; }
ensure_scope() {
  local name="$1" body="$2"
  if [ -z "$(scope_id "$name")" ]; then
    api POST "/client-scopes" "$body" >/dev/null
    echo "  client scope $name: created"
  else
    echo "  client scope $name: already there"
  fi
}
for scope in $MCP_SCOPES; do
  # The pack's texts for its two scopes; any other scope shows its description on the consent page.
  case "$scope" in
    mcp:tools) text='${mcpScopeTools}' ;;
    mcp:tools:write) text='${mcpScopeToolsWrite}' ;;
    *) text="MCP scope $scope" ;;
  esac
  ensure_scope "$scope" "$(jq -n --arg name "$scope" --arg text "$text" '{name: $name, protocol: "openid-connect",
    description: "MCP scope (keycloak-mcp)", attributes: {"mcp.scope": "true", "include.in.token.scope": "true",
    "display.on.consent.screen": "true", "consent.screen.text": $text}}')"
  existing="$(api GET "/client-scopes/$(scope_id "$scope")")"
  if [ "$(jq -r '.attributes["mcp.scope"] // ""' <<<"$existing")" != true ]; then
    api PUT "/client-scopes/$(scope_id "$scope")" "$(jq '.attributes["mcp.scope"] = "true"' <<<"$existing")" >/dev/null
    echo "  client scope $scope: marked as an MCP scope"
  fi
done
ensure_scope mcp-audience '{"name": "mcp-audience", "protocol": "openid-connect",
  "description": "Binds access tokens to the MCP server named by the RFC 8707 resource parameter",
  "attributes": {"include.in.token.scope": "false", "include.in.openid.provider.metadata": "false", "display.on.consent.screen": "false"},
  "protocolMappers": [{"name": "MCP resource audience", "protocol": "openid-connect", "protocolMapper": "mcp-resource-audience",
    "consentRequired": false, "config": {"access.token.claim": "true"}}]}'
if [ -z "$(api GET "/default-default-client-scopes" | jq -r '.[] | select(.name == "mcp-audience") | .id')" ]; then
  api PUT "/default-default-client-scopes/$(scope_id mcp-audience)" >/dev/null
fi
echo "  mcp-audience: a realm default client scope (new clients get it)"

# 3. Anonymous registration: the MCP policy; Trusted Hosts would refuse every MCP client; Allowed Client Scopes
#    must allow the MCP scopes that MCP clients get.
policies="$(api GET "/components?type=$POLICY_TYPE")"
realm_id="$(jq -r .id <<<"$realm")"
if [ -z "$(jq -r '.[] | select(.providerId == "mcp-client-registration" and .subType == "anonymous") | .id' <<<"$policies")" ]; then
  api POST "/components" "$(jq -n --arg parent "$realm_id" --arg type "$POLICY_TYPE" '{name: "MCP clients",
    providerId: "mcp-client-registration", providerType: $type, subType: "anonymous", parentId: $parent, config: {}}')" >/dev/null
  echo "  anonymous registration policy mcp-client-registration: created (defaults; docs/configuration.md lists its settings)"
else
  echo "  anonymous registration policy mcp-client-registration: already there"
fi
# Client ID Metadata Documents (MCP_METADATA_DOCUMENTS=no leaves them off); adding the policy adds its client storage component.
if [ "$MCP_METADATA_DOCUMENTS" = "yes" ]; then
  if [ -z "$(jq -r '.[] | select(.providerId == "mcp-client-metadata-documents" and .subType == "anonymous") | .id' <<<"$policies")" ]; then
    api POST "/components" "$(jq -n --arg parent "$realm_id" --arg type "$POLICY_TYPE" '{name: "MCP client metadata documents",
      providerId: "mcp-client-metadata-documents", providerType: $type, subType: "anonymous", parentId: $parent, config: {}}')" >/dev/null
    echo "  anonymous registration policy mcp-client-metadata-documents: created (any public https host; docs/configuration.md says how to restrict)"
  else
    echo "  anonymous registration policy mcp-client-metadata-documents: already there"
  fi
fi
for id in $(jq -r '.[] | select(.providerId == "trusted-hosts" and .subType == "anonymous") | .id' <<<"$policies"); do
  api DELETE "/components/$id" >/dev/null
  echo "  anonymous policy Trusted Hosts: removed"
done
scopes_json="$(jq -cn --arg scopes "$MCP_SCOPES" '$scopes | split(" ")')"
for id in $(jq -r '.[] | select(.providerId == "allowed-client-templates" and .subType == "anonymous") | .id' <<<"$policies"); do
  component="$(jq --arg id "$id" --argjson scopes "$scopes_json" '.[] | select(.id == $id)
    | .config["allowed-client-scopes"] = (((.config["allowed-client-scopes"] // []) + $scopes) | unique)' <<<"$policies")"
  api PUT "/components/$id" "$component" >/dev/null
  echo "  anonymous policy Allowed Client Scopes: allows $MCP_SCOPES"
done

# 4. The pack's required actions, which Keycloak consults after sign-in and before its consent check (never asked of a
#    user): consent on every authorization by a self-registered client, and an ordinary refresh token instead of a failed
#    code exchange when an MCP client asks for offline_access for a user without the offline_access role.
register_required_action() {
  local alias="$1" name="$2"
  if [ -z "$(api GET "/authentication/required-actions" | jq -r --arg a "$alias" '.[] | select(.alias == $a) | .alias')" ]; then
    api POST "/authentication/register-required-action" "$(jq -n --arg a "$alias" --arg n "$name" '{providerId: $a, name: $n}')" >/dev/null
    echo "  required action $alias: registered"
  else
    echo "  required action $alias: already there"
  fi
}
register_required_action mcp-consent-every-time "MCP: ask for consent on every authorization by a self-registered client"
register_required_action mcp-offline-access-fallback "MCP: an ordinary refresh token when the user may not have offline_access"

# 5. The MCP server: a confidential client whose client id is its canonical URL (it introspects tokens).
encoded_url="$(jq -rn --arg v "$MCP_SERVER_URL" '$v | @uri')"
client_id="$(api GET "/clients?clientId=$encoded_url" | jq -r '.[0].id // empty')"
if [ -z "$client_id" ]; then
  body="$(jq -n --arg url "$MCP_SERVER_URL" --arg name "$MCP_SERVER_NAME" --arg secret "${MCP_SERVER_SECRET:-}" '{clientId: $url,
    name: $name, enabled: true, protocol: "openid-connect", publicClient: false, clientAuthenticatorType: "client-secret",
    standardFlowEnabled: false, implicitFlowEnabled: false, directAccessGrantsEnabled: false, serviceAccountsEnabled: false,
    attributes: {"mcp.resource.server": "true"}} + (if $secret == "" then {} else {secret: $secret} end)')"
  api POST "/clients" "$body" >/dev/null
  client_id="$(api GET "/clients?clientId=$encoded_url" | jq -r '.[0].id')"
  echo "  MCP server $MCP_SERVER_URL: registered"
  if [ -z "${MCP_SERVER_SECRET:-}" ]; then
    secret_file="${MCP_SERVER_SECRET_FILE:-./mcp-server-client-secret}"
    (umask 077 && api GET "/clients/$client_id/client-secret" | jq -r .value >"$secret_file")
    echo "  its client secret (the MCP server's MCP_CLIENT_SECRET) is in $secret_file (readable by you only)"
  fi
else
  echo "  MCP server $MCP_SERVER_URL: already registered"
fi

# 6. Keycloak before 26.7 has no authorization-endpoint check SPI: there the client profile and policy "keycloak-mcp" carry the
#    pack's rules to the authorization and token endpoints (McpClientPolicy in the providers' core package; the server
#    adds them at startup and at the first registration too). Keycloak 26.7 needs neither.
serverinfo="$(curl -sS -f --max-time 30 -H "@$SECRETS/authorization" "$KEYCLOAK_URL/admin/serverinfo")" \
  || die "GET /admin/serverinfo failed (the admin needs to see the server info)"
if [ "$(jq -r '.providers | has("authorization-endpoint-check")' <<<"$serverinfo")" = "false" ]; then
  version="$(jq -r '.systemInfo.version' <<<"$serverinfo")"
  profiles="$(api GET "/client-policies/profiles")"
  if [ -z "$(jq -r '.profiles[]? | select(.name == "keycloak-mcp") | .name' <<<"$profiles")" ]; then
    api PUT "/client-policies/profiles" "$(jq 'del(.globalProfiles) | .profiles = ((.profiles // []) + [{name: "keycloak-mcp",
      description: "keycloak-mcp: the MCP authorization rules (PKCE, resource, response mode, metadata documents) and the binding of codes and refresh tokens to their MCP server, on Keycloak before 26.7",
      executors: [{executor: "mcp-authorization", configuration: {}}, {executor: "mcp-metadata-document-refresh", configuration: {}}]}])' <<<"$profiles")" >/dev/null
  fi
  policies="$(api GET "/client-policies/policies")"
  if [ -z "$(jq -r '.policies[]? | select(.name == "keycloak-mcp") | .name' <<<"$policies")" ]; then
    api PUT "/client-policies/policies" "$(jq 'del(.globalPolicies) | .policies = ((.policies // []) + [{name: "keycloak-mcp",
      description: "keycloak-mcp: the MCP rules; the executors only act on MCP clients and MCP servers", enabled: true,
      conditions: [{condition: "any-client", configuration: {}}], profiles: ["keycloak-mcp"]}])' <<<"$policies")" >/dev/null
  fi
  echo "  client profile and policy keycloak-mcp: the pack's rules on Keycloak $version (no authorization-endpoint check SPI before 26.7)"
fi

# 7. On-behalf-of (only with DOWNSTREAM_API): the MCP server exchanges its users' MCP tokens for tokens for that API (RFC 8693,
#    Keycloak's standard token exchange) with DOWNSTREAM_SCOPE and nothing more. Least permission: the API's own client (no
#    flow); a client scope whose audience mapper names the API, optional on the MCP server's client only (so no other client
#    can ask for it); token exchange on the MCP server's client only, without refresh tokens; the MCP server's client keeps no
#    default client scope but basic (each one would widen every exchanged token's scope).
if [ -n "$DOWNSTREAM_API" ]; then
  encoded_api="$(jq -rn --arg v "$DOWNSTREAM_API" '$v | @uri')"
  api_id="$(api GET "/clients?clientId=$encoded_api" | jq -r '.[0].id // empty')"
  if [ -z "$api_id" ]; then
    api POST "/clients" "$(jq -n --arg id "$DOWNSTREAM_API" --arg secret "${DOWNSTREAM_API_SECRET:-}" '{clientId: $id,
      name: $id, description: "An API the MCP server calls as the user, with exchanged tokens (keycloak-mcp)", enabled: true,
      protocol: "openid-connect", publicClient: false, clientAuthenticatorType: "client-secret", standardFlowEnabled: false,
      implicitFlowEnabled: false, directAccessGrantsEnabled: false, serviceAccountsEnabled: false, defaultClientScopes: [],
      optionalClientScopes: []} + (if $secret == "" then {} else {secret: $secret} end)')" >/dev/null
    api_id="$(api GET "/clients?clientId=$encoded_api" | jq -r '.[0].id')"
    echo "  downstream API $DOWNSTREAM_API: registered"
    if [ -z "${DOWNSTREAM_API_SECRET:-}" ]; then
      secret_file="${DOWNSTREAM_API_SECRET_FILE:-./downstream-api-client-secret}"
      (umask 077 && api GET "/clients/$api_id/client-secret" | jq -r .value >"$secret_file")
      echo "  its client secret (the API's, for introspection) is in $secret_file (readable by you only)"
    fi
  else
    echo "  downstream API $DOWNSTREAM_API: already registered"
  fi
  ensure_scope "$DOWNSTREAM_SCOPE" "$(jq -n --arg name "$DOWNSTREAM_SCOPE" --arg api "$DOWNSTREAM_API" '{name: $name,
    protocol: "openid-connect", description: ("On-behalf-of: what the MCP server may do at " + $api + " as the user"),
    attributes: {"include.in.token.scope": "true", "include.in.openid.provider.metadata": "false", "display.on.consent.screen": "false"},
    protocolMappers: [{name: "downstream API audience", protocol: "openid-connect", protocolMapper: "oidc-audience-mapper",
      consentRequired: false, config: {"included.client.audience": $api, "access.token.claim": "true",
      "introspection.token.claim": "true", "id.token.claim": "false"}}]}')"
  api PUT "/clients/$client_id/optional-client-scopes/$(scope_id "$DOWNSTREAM_SCOPE")" >/dev/null
  for scope in $(api GET "/clients/$client_id/default-client-scopes" | jq -r '.[] | select(.name != "basic") | .id'); do
    api DELETE "/clients/$client_id/default-client-scopes/$scope" >/dev/null
  done
  server="$(api GET "/clients/$client_id")"
  api PUT "/clients/$client_id" "$(jq '.attributes = ((.attributes // {}) + {"standard.token.exchange.enabled": "true",
    "standard.token.exchange.enableRefreshRequestedTokenType": "NO"})' <<<"$server")" >/dev/null
  echo "  on-behalf-of: $MCP_SERVER_URL may exchange its users' tokens for $DOWNSTREAM_API with scope $DOWNSTREAM_SCOPE (no refresh tokens)"
fi

echo "Done. Metadata: $KEYCLOAK_URL/.well-known/oauth-authorization-server/realms/$REALM"

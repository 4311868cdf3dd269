// keycloak-mcp: the "MCP access" page of Keycloak's admin console (admin theme "mcp", parent keycloak.v2).
// It adds one entry to the console's navigation and, at #/<realm>/mcp-access, shows the realm's MCP servers and MCP
// clients from the pack's admin API (/admin/realms/<realm>/mcp), with the two actions: revoke a client, block a host.
// The console keeps its token to itself, so the page gets its own the way the console does (authorization code +
// PKCE, prompt=none on the same sign-in), and Keycloak checks the admin's permissions on every call. Every value
// from the server is written as text, never as markup: client names come from anyone who can register.

const env = JSON.parse(document.getElementById("environment").textContent);
const ROUTE = /^#\/([^/]+)\/mcp-access\/?$/;
const PAGE_ID = "mcp-access-page";
const NAV_ID = "nav-item-mcp-access";
const PAGE_SIZE = 20;

let token = null;

// ---------- token ----------

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomText() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

async function newToken() {
  const verifier = randomText();
  const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const state = randomText();
  // An address under the console's redirect URIs that Keycloak does not serve: the frame gets a small 404 (the
  // browser's console notes it) instead of loading a second console; only the address's query is read.
  const redirectUri = location.origin + env.consoleBaseUrl + "mcp-access-signed-in";
  const realmUrl = env.authServerUrl.replace(/\/$/, "") + "/realms/" + encodeURIComponent(env.realm);
  const auth = new URL(realmUrl + "/protocol/openid-connect/auth");
  for (const [name, value] of Object.entries({
    client_id: env.clientId, redirect_uri: redirectUri, response_type: "code", response_mode: "query", scope: "openid",
    prompt: "none", state, code_challenge: challenge, code_challenge_method: "S256" })) {
    auth.searchParams.set(name, value);
  }
  const answer = await new Promise((resolve, reject) => {
    const frame = document.createElement("iframe");
    frame.style.display = "none";
    frame.title = "MCP access sign-in";
    const timeout = setTimeout(() => {
      frame.remove();
      reject(new Error("The sign-in for the MCP access page did not answer; reload the console."));
    }, 15000);
    // Read once loaded (the redirect's answer complete), not polled: the frame is removed with nothing in flight.
    frame.addEventListener("load", () => {
      let href = null;
      try {
        href = frame.contentWindow.location.href;
      } catch (crossOrigin) {
        return; // Still at the authorization server.
      }
      if (href && href.startsWith(redirectUri)) {
        clearTimeout(timeout);
        frame.remove();
        resolve(new URL(href).searchParams);
      }
    });
    frame.src = auth.toString();
    document.body.append(frame);
  });
  if (answer.get("state") !== state || !answer.get("code")) {
    throw new Error("Signed out: reload the console and sign in again (" + (answer.get("error") || "no code") + ").");
  }
  const response = await fetch(realmUrl + "/protocol/openid-connect/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code: answer.get("code"), redirect_uri: redirectUri,
      client_id: env.clientId, code_verifier: verifier }),
  });
  const tokens = await response.json();
  if (!response.ok) {
    throw new Error("No token for the MCP access page: " + (tokens.error_description || tokens.error || response.status));
  }
  token = { value: tokens.access_token, until: Date.now() + (tokens.expires_in - 15) * 1000 };
  return token.value;
}

let pendingToken = null;

// One sign-in at a time: the page's first calls go out together.
async function accessToken() {
  if (token && token.until > Date.now()) {
    return token.value;
  }
  pendingToken ??= newToken().finally(() => {
    pendingToken = null;
  });
  return pendingToken;
}

async function api(realm, path, options = {}) {
  const response = await fetch(env.adminBaseUrl.replace(/\/$/, "") + "/admin/realms/" + encodeURIComponent(realm) + "/mcp" + path, {
    ...options,
    headers: { Authorization: "Bearer " + (await accessToken()), Accept: "application/json", ...(options.headers || {}) },
  });
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (notJson) {
    // A proxy's error page: the status says enough.
  }
  if (!response.ok) {
    const reason = response.status === 403 ? "You lack the permission for this (view-clients to see, manage-clients to change; "
      + "grants also need view-users)." : (body && (body.error_description || body.errorMessage || body.error)) || "";
    throw new Error("HTTP " + response.status + ". " + reason);
  }
  return body;
}

// ---------- building blocks (text only) ----------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "onclick") {
      node.addEventListener("click", value);
    } else if (value !== undefined && value !== null) {
      node.setAttribute(name, value);
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

function when(seconds) {
  return seconds ? new Date(seconds * 1000).toLocaleString() : "—";
}

function button(text, attributes, onclick) {
  return el("button", { type: "button", ...attributes, class: "pf-v5-c-button " + (attributes.class || "pf-m-secondary"), onclick }, text);
}

// PatternFly 5's table, as the console's own lists: each part carries its class.
function row(attributes, ...cells) {
  return el("tr", { ...attributes, class: "pf-v5-c-table__tr " + (attributes.class || "") }, ...cells);
}

function cell(attributes, ...content) {
  return el("td", { ...attributes, class: "pf-v5-c-table__td " + (attributes.class || "") }, ...content);
}

function table(id, headers, rows) {
  return el("table", { id, class: "pf-v5-c-table pf-m-compact", role: "grid" },
    el("thead", { class: "pf-v5-c-table__thead" }, el("tr", { class: "pf-v5-c-table__tr" },
      headers.map((h) => el("th", { class: "pf-v5-c-table__th", scope: "col" }, h)))),
    el("tbody", { class: "pf-v5-c-table__tbody" }, rows.length ? rows : [row({}, cell({ colspan: String(headers.length) }, "None."))]));
}

function how(client) {
  switch (client.kind) {
    case "dynamic": return "Registered itself";
    case "metadata-document": return "Metadata document from " + (client.host || "?");
    case "preregistered": return "Created by an admin";
    case "machine": return "Machine client (client credentials)";
    default: return client.kind || "?";
  }
}

// ---------- the page ----------

class McpAccessPage {
  constructor(realm, root) {
    this.realm = realm;
    this.root = root;
    this.filter = { kind: "", host: "", unusedDays: "" };
    this.first = 0;
  }

  async show() {
    this.root.replaceChildren(el("h1", { class: "pf-v5-c-title pf-m-2xl" }, "MCP access"),
      el("p", { class: "mcp-access-intro" }, "The MCP servers of realm ", el("strong", {}, this.realm),
        ", the MCP clients that may ask for tokens for them, who granted what, and revoking access."),
      this.message = el("div", { id: "mcp-access-message", role: "status" }));
    try {
      const summary = await api(this.realm, "");
      if (!summary.enabled) {
        this.say("MCP is not on in this realm (realm attribute mcp.enabled).");
        return;
      }
      this.summary = summary;
      this.root.append(el("h2", { class: "pf-v5-c-title pf-m-xl" }, "MCP servers"), this.servers = el("div"),
        el("h2", { class: "pf-v5-c-title pf-m-xl" }, "MCP clients"), this.filters(), this.clients = el("div"),
        el("h2", { class: "pf-v5-c-title pf-m-xl" }, "Blocked"), this.blocked = el("div"));
      await Promise.all([this.loadServers(), this.loadClients(), this.loadBlocked()]);
    } catch (error) {
      this.say(error.message, true);
    }
  }

  say(text, failed = false) {
    this.message.className = "pf-v5-c-alert pf-m-inline " + (failed ? "pf-m-danger" : "pf-m-info");
    this.message.replaceChildren(el("p", { class: "pf-v5-c-alert__title" }, text));
  }

  async loadServers() {
    const servers = await api(this.realm, "/servers");
    this.servers.replaceChildren(table("mcp-servers", ["Name", "Canonical URL", "Scopes", "Enabled"], servers.map((s) =>
      row({}, cell({}, s.name), cell({}, s.url), cell({}, s.scopes.join(" ")), cell({}, s.enabled ? "yes" : "no")))));
  }

  filters() {
    const kind = el("select", { id: "mcp-filter-kind", class: "pf-v5-c-form-control", "aria-label": "How it came" },
      el("option", { value: "" }, "Every kind"), el("option", { value: "dynamic" }, "Registered itself"),
      el("option", { value: "metadata-document" }, "Metadata document"), el("option", { value: "preregistered" }, "Created by an admin"),
      el("option", { value: "machine" }, "Machine client"));
    const host = el("input", { id: "mcp-filter-host", class: "pf-v5-c-form-control", placeholder: "Publishing host", "aria-label": "Publishing host" });
    const unused = el("input", { id: "mcp-filter-unused", class: "pf-v5-c-form-control", type: "number", min: "0",
      placeholder: "Not used for (days)", "aria-label": "Not used for (days)" });
    const search = button("Search", { id: "mcp-filter-search", class: "pf-m-primary" }, () => {
      this.filter = { kind: kind.value, host: host.value.trim(), unusedDays: unused.value.trim() };
      this.first = 0;
      this.loadClients().catch((error) => this.say(error.message, true));
    });
    return el("div", { class: "mcp-access-filters", style: "display:flex; gap:8px; margin:8px 0" }, kind, host, unused, search);
  }

  async loadClients() {
    const query = new URLSearchParams({ first: String(this.first), max: String(PAGE_SIZE + 1) });
    for (const [name, value] of Object.entries(this.filter)) {
      if (value) {
        query.set(name, value);
      }
    }
    const started = performance.now();
    const clients = await api(this.realm, "/clients?" + query);
    const more = clients.length > PAGE_SIZE;
    const rows = clients.slice(0, PAGE_SIZE).flatMap((client) => this.clientRows(client));
    this.clients.replaceChildren(
      table("mcp-clients", ["Client", "How it came", "Redirect hosts", "Created", "Last used", "Users", "Document copy", ""], rows),
      el("div", { class: "mcp-access-pages", style: "display:flex; gap:8px; align-items:center; margin:8px 0" },
        button("Previous", { id: "mcp-clients-previous", disabled: this.first === 0 ? "disabled" : null }, () => this.page(-PAGE_SIZE)),
        el("span", { id: "mcp-clients-range" }, clients.length ? `${this.first + 1}–${this.first + Math.min(PAGE_SIZE, clients.length)}` : "0"),
        button("Next", { id: "mcp-clients-next", disabled: more ? null : "disabled" }, () => this.page(PAGE_SIZE)),
        el("span", { id: "mcp-clients-time", class: "pf-v5-u-color-200" }, `(${Math.round(performance.now() - started)} ms)`)));
  }

  page(delta) {
    this.first = Math.max(0, this.first + delta);
    this.loadClients().catch((error) => this.say(error.message, true));
  }

  clientRows(client) {
    const grants = row({ class: "mcp-client-grants", hidden: "hidden" }, cell({ colspan: "8" }));
    const actions = cell({ class: "mcp-client-actions" },
      button("Users", { class: "pf-m-link", "data-action": "grants" }, () => this.toggleGrants(client, grants)));
    if (client.kind === "dynamic" || client.kind === "metadata-document") {
      actions.append(button("Revoke", { class: "pf-m-danger", "data-action": "revoke" }, (event) => this.confirm(event.target,
        "Confirm revoke", () => api(this.realm, "/clients/" + encodeURIComponent(client.id) + "/revoke", { method: "POST" })
          .then((revoked) => this.done(`Revoked ${revoked.name || revoked.clientId}` + (revoked.blockedUntil
            ? `; its document may not come back before ${when(revoked.blockedUntil)}.` : "."))))));
    }
    if (client.kind === "metadata-document" && client.host) {
      actions.append(button("Block host", { class: "pf-m-warning", "data-action": "block-host" }, (event) => this.confirm(event.target,
        "Confirm block " + client.host, () => this.blockHost(client.host))));
    }
    const name = cell({ class: "mcp-client-name" }, el("strong", {}, client.name || "(no name)"), el("br"),
      el("small", {}, client.clientId), client.enabled ? null : el("small", {}, " (disabled)"));
    const copy = client.kind === "metadata-document" ? cell({}, "fetched " + when(client.fetched), el("br"), "expires " + when(client.expires))
      : cell({}, "—");
    return [row({ class: "mcp-client", "data-client-id": client.clientId }, name, cell({ class: "mcp-client-kind" }, how(client)),
      cell({}, client.redirectHosts.join(", ")), cell({}, when(client.created)), cell({}, when(client.lastUsed)),
      cell({ class: "mcp-client-users" }, String(client.users)), copy, actions), grants];
  }

  async toggleGrants(client, grantsRow) {
    if (!grantsRow.hidden) {
      grantsRow.hidden = true;
      return;
    }
    grantsRow.hidden = false;
    const place = grantsRow.firstChild;
    place.replaceChildren("Loading…");
    try {
      const grants = await api(this.realm, "/clients/" + encodeURIComponent(client.id) + "/grants");
      place.replaceChildren(table("mcp-grants-" + client.id, ["User", "MCP server", "Granted"], grants.map((g) =>
        row({ class: "mcp-grant" }, cell({}, g.username || g.userId), cell({}, g.serverName + " (" + g.server + ")"),
          cell({}, when(g.granted))))));
    } catch (error) {
      place.replaceChildren(error.message);
    }
  }

  // A dangerous action asks twice: the button turns into its confirmation.
  confirm(target, label, action) {
    if (target.dataset.confirming) {
      target.disabled = true;
      action().catch((error) => {
        target.disabled = false;
        this.say(error.message, true);
      });
      return;
    }
    target.dataset.confirming = "true";
    target.textContent = label;
  }

  async blockHost(host) {
    const answer = await api(this.realm, "/blocked-hosts", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ host }) });
    await this.done(`Blocked ${answer.host}: ${answer.revokedClients} client(s) revoked, its documents are refused.`);
  }

  // The lists first, then the message: whoever waits for the message finds the page settled.
  async done(text) {
    await Promise.all([this.loadClients(), this.loadBlocked()]);
    this.say(text);
  }

  async loadBlocked() {
    const [hosts, clients] = await Promise.all([api(this.realm, "/blocked-hosts"), api(this.realm, "/blocked-clients")]);
    const host = el("input", { id: "mcp-block-host", class: "pf-v5-c-form-control", placeholder: "mcp.example.com", "aria-label": "Host to block" });
    this.blocked.replaceChildren(
      el("h3", { class: "pf-v5-c-title pf-m-lg" }, "Publishing hosts"),
      el("p", {}, this.summary.documentsAccepted ? "Metadata documents from these hosts (and their subdomains) are refused."
        : "This realm accepts no metadata documents."),
      table("mcp-blocked-hosts", ["Host", ""], hosts.map((h) => row({}, cell({}, h), cell({},
        button("Unblock", { "data-action": "unblock-host" }, () => api(this.realm, "/blocked-hosts/" + encodeURIComponent(h),
          { method: "DELETE" }).then(() => this.done("Unblocked " + h)).catch((error) => this.say(error.message, true))))))),
      el("div", { style: "display:flex; gap:8px; margin:8px 0" }, host,
        button("Block host", { id: "mcp-block-host-button", class: "pf-m-warning" },
          () => this.blockHost(host.value.trim()).catch((error) => this.say(error.message, true)))),
      el("h3", { class: "pf-v5-c-title pf-m-lg" }, "Revoked metadata-document clients"),
      table("mcp-blocked-clients", ["Document URL", "Revoked", "Blocked until", ""], clients.map((c) => row({},
        cell({}, c.clientId), cell({}, when(c.blocked)), cell({}, when(c.until)), cell({},
          button("Allow again", { "data-action": "unblock-client" }, () => api(this.realm, "/blocked-clients?clientId="
            + encodeURIComponent(c.clientId), { method: "DELETE" }).then(() => this.done("Allowed " + c.clientId))
            .catch((error) => this.say(error.message, true))))))));
  }
}

// ---------- placing the page in the console ----------

// The realm of the console's address; null for one that is not a realm's (or not decodable).
function decoded(part) {
  try {
    return decodeURIComponent(part);
  } catch (malformed) {
    return null;
  }
}

function currentRealm() {
  const match = location.hash.match(/^#\/([^/]+)/);
  return match ? decoded(match[1]) : null;
}

function placeNavItem() {
  const realm = currentRealm();
  // Under "Manage", after the console's own "Clients".
  const clients = document.getElementById("nav-item-clients")?.closest("li");
  const list = clients?.parentElement;
  if (!realm || !list) {
    return;
  }
  const href = "#/" + encodeURIComponent(realm) + "/mcp-access";
  let item = document.getElementById(NAV_ID);
  if (!item || !list.contains(item)) {
    item?.closest("li")?.remove();
    item = el("a", { id: NAV_ID, class: "pf-v5-c-nav__link", href }, "MCP access");
    clients.after(el("li", { class: "pf-v5-c-nav__item" }, item));
  }
  item.setAttribute("href", href);
  item.classList.toggle("pf-m-current", ROUTE.test(location.hash));
}

let shown = null;

function placePage() {
  const route = location.hash.match(ROUTE);
  const realm = route ? decoded(route[1]) : null;
  const main = document.querySelector("main.pf-v5-c-page__main, main");
  let page = document.getElementById(PAGE_ID);
  if (!realm || !main) {
    if (page) {
      page.remove();
      shown = null;
    }
    document.querySelectorAll("[data-mcp-access-hidden]").forEach((node) => {
      node.hidden = false;
      node.removeAttribute("data-mcp-access-hidden");
    });
    return;
  }
  // The console's own view for this address ("page not found") stays in place, hidden.
  for (const child of main.children) {
    if (child.id !== PAGE_ID && !child.hidden) {
      child.hidden = true;
      child.setAttribute("data-mcp-access-hidden", "");
    }
  }
  if (!page || !main.contains(page)) {
    page?.remove();
    page = el("section", { id: PAGE_ID, class: "pf-v5-c-page__main-section pf-m-light", "data-realm": realm });
    main.append(page);
    shown = null;
  }
  if (shown !== realm) {
    shown = realm;
    new McpAccessPage(realm, page).show();
  }
}

// Spacing the console's own stylesheet gives its React pages through components this page does not use.
document.head.append(el("style", {}, `
  #mcp-access-page h2 { margin: 1.5rem 0 .5rem; }
  #mcp-access-page h3 { margin: 1rem 0 .25rem; }
  #mcp-access-page input, #mcp-access-page select { padding: 4px 8px; border: 1px solid #8a8d90; border-radius: 3px; }
  #mcp-access-page .mcp-client-actions button { margin-right: 4px; }
`));

function place() {
  placeNavItem();
  placePage();
}

new MutationObserver(place).observe(document.body, { childList: true, subtree: true });
window.addEventListener("hashchange", place);
place();

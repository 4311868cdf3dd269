package dev.keycloakmcp.admin;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.common.util.Time;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.util.JsonSerialization;

import dev.keycloakmcp.cimd.DocumentClients;
import dev.keycloakmcp.authorization.DpopRequirement;
import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.McpRealm;
import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.core.ResourceServers;
import dev.keycloakmcp.directory.BlockedClients;
import dev.keycloakmcp.directory.McpClientDirectory;
import dev.keycloakmcp.directory.McpClientEntry;
import dev.keycloakmcp.directory.McpClientFilter;
import dev.keycloakmcp.directory.McpGrants;
import dev.keycloakmcp.enterprise.TrustedIdps;
import dev.keycloakmcp.machine.MachineClientRequest;
import dev.keycloakmcp.machine.MachineClients;

/**
 * The realm's MCP access for admins, at {@code /admin/realms/{realm}/mcp}: its MCP servers, its MCP clients (how each
 * came, last use, users), who granted a client which server, and the two ways to cut access — revoke a client, block
 * a publishing host — and it creates MCP machine clients (client credentials). Reading needs {@code view-clients}
 * (grants also {@code view-users}), changing {@code manage-clients}; each change is an admin event. Lists are pages
 * of the pack's indexed tables, never a walk of the realm's clients.
 */
public class McpAdminResource {

    static final int DEFAULT_PAGE = 20;
    static final int MAX_PAGE = 100;
    /** MCP servers and admin-created MCP clients are few; a realm with more than this many shows the first ones. */
    static final int MAX_BY_ATTRIBUTE = 500;
    static final int MAX_GRANTS = 200;
    static final int MAX_BLOCKED = 500;
    /** A host holds at most its cap of document clients (20 by default); revoke them all, up to this. */
    static final int MAX_HOST_CLIENTS = 1000;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminAccess access;
    private final AdminEventBuilder adminEvent;

    McpAdminResource(KeycloakSession session, RealmModel realm, AdminAccess access, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.access = access;
        this.adminEvent = adminEvent;
    }

    /** Whether MCP is on in the realm and it accepts metadata documents: what the MCP access page starts from. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> summary() {
        access.requireViewClients();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("realm", realm.getName());
        summary.put("enabled", McpRealm.isEnabled(realm));
        summary.put("documentsAccepted", DocumentClients.accepted(realm));
        summary.put("revokedBlockSeconds", DocumentClients.revokedBlock(realm).toSeconds());
        return summary;
    }

    /** The realm's MCP servers: canonical URL, name, and the MCP scopes tokens for them can carry. */
    @GET
    @Path("servers")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> servers() {
        access.requireViewClients();
        List<String> scopes = McpRealm.mcpScopes(realm).map(ClientScopeModel::getName).sorted().toList();
        return withAttribute(ResourceServers.MARKER_ATTRIBUTE, "true")
                .map(server -> {
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("id", server.getId());
                    view.put("url", ResourceServers.resourceOf(server));
                    view.put("name", ResourceServers.displayName(server));
                    view.put("enabled", server.isEnabled());
                    view.put("scopes", scopes);
                    view.put("dpopRequired", DpopRequirement.isRequiredBy(server));
                    return view;
                }).toList();
    }

    /**
     * Makes an MCP server take DPoP-bound tokens only, or not ({@code {"required": true|false}}): the token endpoint then
     * refuses to bind tokens to it without a DPoP proof ({@link DpopRequirement}). The server should refuse Bearer
     * tokens itself too (the sample server's MCP_REQUIRE_DPOP), as tokens issued before stay Bearer until they expire.
     */
    @PUT
    @Path("servers/{id}/dpop")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> requireDpop(@PathParam("id") String id, String body) {
        access.requireManageClients();
        Object required = jsonObject(body, "{\"required\": true}").get("required");
        if (!(required instanceof Boolean)) {
            throw refused(Response.Status.BAD_REQUEST, "invalid_request", "required must be true or false");
        }
        ClientModel server = realm.getClientById(id);
        if (server == null || !Boolean.parseBoolean(server.getAttribute(ResourceServers.MARKER_ATTRIBUTE))) {
            throw notFound("No such MCP server");
        }
        if ((Boolean) required) {
            server.setAttribute(DpopRequirement.ATTRIBUTE, "true");
        } else {
            server.removeAttribute(DpopRequirement.ATTRIBUTE);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", server.getId());
        answer.put("url", ResourceServers.resourceOf(server));
        answer.put("dpopRequired", required);
        audit(OperationType.UPDATE, ResourceType.CLIENT, answer);
        return answer;
    }

    /**
     * A page of the realm's MCP clients, admin-created ones first, then self-registered ones newest first (least
     * recently used first with {@code unusedDays}).
     *
     * @param kind       {@code dynamic}, {@code metadata-document}, {@code preregistered} or {@code machine}; all when absent
     * @param host       only metadata-document clients from this host
     * @param unusedDays only clients without a token for this many days
     */
    @GET
    @Path("clients")
    @Produces(MediaType.APPLICATION_JSON)
    public List<McpClientView> clients(@QueryParam("kind") String kind, @QueryParam("host") String host,
            @QueryParam("unusedDays") String unusedDays, @QueryParam("first") String first, @QueryParam("max") String max) {
        access.requireViewClients();
        Optional<McpClientKind> wanted = kindOf(kind);
        Optional<Long> unusedSince = wholeNumber("unusedDays", unusedDays, 0, 36_500)
                .map(days -> Time.currentTime() - Duration.ofDays(days).toSeconds());
        McpClientFilter filter = new McpClientFilter(wanted.filter(McpClientKind::isSelfRegistered), Optional.ofNullable(host), unusedSince);
        int from = wholeNumber("first", first, 0, Integer.MAX_VALUE).orElse(0L).intValue();
        int size = wholeNumber("max", max, 1, MAX_PAGE).orElse((long) DEFAULT_PAGE).intValue();

        // The pack records the use of clients that came by themselves only: "unused" says nothing of an admin's clients.
        List<ClientModel> adminCreated = wanted.map(k -> !k.isSelfRegistered()).orElse(true) && filter.host().isEmpty()
                && unusedSince.isEmpty() ? adminCreated(wanted) : List.of();
        List<ClientModel> page = new ArrayList<>();
        List<McpClientEntry> entries = new ArrayList<>();
        if (from < adminCreated.size()) {
            page.addAll(adminCreated.subList(from, Math.min(adminCreated.size(), from + size)));
        }
        if (wanted.map(McpClientKind::isSelfRegistered).orElse(true) && page.size() < size) {
            entries = McpClientDirectory.of(session).page(realm, filter, Math.max(0, from - adminCreated.size()), size - page.size());
        }
        List<String> ids = new ArrayList<>(page.stream().map(ClientModel::getId).toList());
        entries.forEach(entry -> ids.add(entry.getId()));
        Map<String, Long> users = McpGrants.of(session).usersPerClient(ids);
        List<McpClientView> views = new ArrayList<>();
        page.forEach(client -> views.add(McpClientView.of(client, users.getOrDefault(client.getId(), 0L))));
        for (McpClientEntry entry : entries) {
            ClientModel client = session.clients().getClientById(realm, entry.getId());
            if (client != null) {
                views.add(McpClientView.of(client, entry, users.getOrDefault(entry.getId(), 0L)));
            }
        }
        return views;
    }

    /** One MCP client. */
    @GET
    @Path("clients/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public McpClientView client(@PathParam("id") String id) {
        access.requireViewClients();
        ClientModel client = mcpClient(id);
        long users = McpGrants.of(session).usersPerClient(List.of(client.getId())).getOrDefault(client.getId(), 0L);
        return McpClientDirectory.of(session).entry(client.getId()).map(entry -> McpClientView.of(client, entry, users))
                .orElseGet(() -> McpClientView.of(client, users));
    }

    /** The users who granted the client, and which MCP server each granted, newest first. */
    @GET
    @Path("clients/{id}/grants")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> grants(@PathParam("id") String id) {
        access.requireViewClients();
        access.requireViewUsers();
        ClientModel client = mcpClient(id);
        return McpGrants.of(session).of(client.getId(), MAX_GRANTS).stream().map(grant -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("userId", grant.userId());
            view.put("username", grant.username());
            view.put("server", grant.server());
            view.put("serverName", ResourceServers.find(realm, grant.server()).map(ResourceServers::displayName).orElse(grant.server()));
            view.put("granted", grant.granted());
            return view;
        }).toList();
    }

    /**
     * Revokes a self-registered MCP client ({@link ClientRevocation}): removed with its consents, sessions and tokens; a
     * metadata-document client's URL is blocked for the realm's configured time.
     */
    @POST
    @Path("clients/{id}/revoke")
    @Produces(MediaType.APPLICATION_JSON)
    public ClientRevocation.Revoked revoke(@PathParam("id") String id) {
        access.requireManageClients();
        ClientModel client = mcpClient(id);
        if (!McpClientKind.isSelfRegistered(client)) {
            throw refused(Response.Status.BAD_REQUEST, "invalid_request",
                    "An MCP client created by an admin is not revoked here: disable or delete it under Clients");
        }
        ClientRevocation.Revoked revoked = ClientRevocation.revoke(session, realm, client.getId(), true, adminName())
                .orElseThrow(() -> notFound("No such MCP client (revoked meanwhile)"));
        // Keycloak's own event for a removed client, so that whatever watches client removals sees this one too.
        adminEvent.operation(OperationType.DELETE).resource(ResourceType.CLIENT).resourcePath("clients", revoked.id())
                .representation(revoked).success();
        return revoked;
    }

    /**
     * Creates an MCP machine client ({@link MachineClients}): confidential, service account on, no browser flows, its
     * MCP servers and scope ceiling as asked. Answers 201 with the client; for {@code client_secret_basic} the secret,
     * shown this once. Bad input: 400 and nothing created.
     */
    @POST
    @Path("machine-clients")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response createMachineClient(String body) {
        access.requireManageClients();
        MachineClients.Created created;
        try {
            created = MachineClients.create(session, realm, MachineClientRequest.read(jsonObject(body,
                    "{\"clientId\": \"ci-agent\", \"authMethod\": \"private_key_jwt\", \"jwks\": {\"keys\": [...]}, \"scopes\": [\"mcp:tools\"], \"resources\": [\"https://mcp.example.com/mcp\"]}")));
        } catch (Refusal refusal) {
            throw refused(Response.Status.fromStatusCode(refusal.status()), refusal.error(), refusal.description());
        }
        Map<String, Object> answer = MachineClients.view(realm, created.client());
        adminEvent.operation(OperationType.CREATE).resource(ResourceType.CLIENT).resourcePath("clients", created.client().getId())
                .representation(answer).success();
        Map<String, Object> withSecret = new LinkedHashMap<>(answer);
        if (created.secret() != null) {
            withSecret.put("secret", created.secret());
        }
        return Response.status(Response.Status.CREATED).type(MediaType.APPLICATION_JSON).entity(withSecret).build();
    }

    /** The realm's MCP machine clients: allowed MCP servers, scope ceiling, how they authenticate. */
    @GET
    @Path("machine-clients")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> machineClients() {
        access.requireViewClients();
        return withAttribute(McpClientKind.ATTRIBUTE, McpClientKind.MACHINE.value()).map(client -> MachineClients.view(realm, client)).toList();
    }

    /** The identity providers the realm trusts as enterprise IdPs for ID-JAGs, with the pack's settings for each. */
    @GET
    @Path("enterprise-idps")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> enterpriseIdps() {
        access.requireViewIdentityProviders();
        return TrustedIdps.views(session, realm);
    }

    /**
     * Trusts an OpenID Connect identity provider of the realm as an enterprise IdP: its ID-JAGs get tokens at the
     * jwt-bearer grant ({@link TrustedIdps}). Bad input: 400 and nothing changed.
     */
    @PUT
    @Path("enterprise-idps/{alias}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> trustEnterpriseIdp(@PathParam("alias") String alias, String body) {
        access.requireManageIdentityProviders();
        Map<String, Object> trusted;
        try {
            trusted = TrustedIdps.trust(session, realm, alias, jsonObject(body == null || body.isBlank() ? "{}" : body,
                    "{\"algorithms\": [\"RS256\"], \"emailFallback\": false, \"publicClients\": false, \"maxLifetimeSeconds\": 300}"));
        } catch (Refusal refusal) {
            throw refused(Response.Status.fromStatusCode(refusal.status()), refusal.error(), refusal.description());
        }
        audit(OperationType.UPDATE, ResourceType.IDENTITY_PROVIDER, trusted);
        return trusted;
    }

    /** Stops trusting an identity provider's ID-JAGs; the identity provider itself stays. */
    @DELETE
    @Path("enterprise-idps/{alias}")
    public Response distrustEnterpriseIdp(@PathParam("alias") String alias) {
        access.requireManageIdentityProviders();
        TrustedIdps.distrust(realm, alias);
        audit(OperationType.DELETE, ResourceType.IDENTITY_PROVIDER, Map.of("alias", alias));
        return Response.noContent().build();
    }

    /** The hosts whose metadata documents the realm refuses (the document policy's denied domains). */
    @GET
    @Path("blocked-hosts")
    @Produces(MediaType.APPLICATION_JSON)
    public List<String> blockedHosts() {
        access.requireViewClients();
        return DocumentClients.blockedHosts(realm);
    }

    /**
     * Blocks a publishing host: its documents are refused from now on (subdomains too), and the document clients it
     * published are revoked.
     */
    @POST
    @Path("blocked-hosts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> blockHost(String body) {
        access.requireManageClients();
        Object asked = jsonObject(body, "{\"host\": \"mcp.example.com\"}").get("host");
        String host = DocumentClients.hostName(asked instanceof String text ? text : null).orElseThrow(() -> refused(
                Response.Status.BAD_REQUEST, "invalid_request", "host must be a domain name, e.g. mcp.example.com (no scheme, port or path)"));
        if (!DocumentClients.accepted(realm)) {
            throw refused(Response.Status.BAD_REQUEST, "invalid_request", "This realm accepts no metadata documents");
        }
        boolean added = DocumentClients.blockHost(realm, host);
        int revoked = 0;
        for (String id : McpClientDirectory.of(session).idsOfDomain(realm, host, MAX_HOST_CLIENTS)) {
            if (ClientRevocation.revoke(session, realm, id, false, adminName()).isPresent()) {
                revoked++;
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("host", host);
        answer.put("alreadyBlocked", !added);
        answer.put("revokedClients", revoked);
        audit(OperationType.ACTION, ResourceType.COMPONENT, answer);
        return answer;
    }

    /**
     * Accepts documents from a host again, however its denied-domain entry is written ({@code *.example.com} too);
     * clients revoked with it stay removed, and come back at their next authorization request.
     */
    @DELETE
    @Path("blocked-hosts/{host}")
    public Response unblockHost(@PathParam("host") String host) {
        access.requireManageClients();
        if (!DocumentClients.unblockHost(realm, host)) {
            throw notFound("No such blocked host");
        }
        audit(OperationType.DELETE, ResourceType.COMPONENT, Map.of("host", host));
        return Response.noContent().build();
    }

    /** The document clients revoked and blocked for a while, newest first. */
    @GET
    @Path("blocked-clients")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> blockedClients() {
        access.requireViewClients();
        return BlockedClients.of(session).list(realm, MAX_BLOCKED).stream().map(block -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("clientId", block.getClientId());
            view.put("blocked", block.getBlocked());
            view.put("until", block.getUntil());
            return view;
        }).toList();
    }

    /** Lets a revoked document client come back before its block ends. */
    @DELETE
    @Path("blocked-clients")
    public Response unblockClient(@QueryParam("clientId") String clientId) {
        access.requireManageClients();
        if (clientId == null || !BlockedClients.of(session).unblock(realm, clientId)) {
            throw notFound("No such blocked client");
        }
        audit(OperationType.DELETE, ResourceType.CLIENT, Map.of("clientId", clientId));
        return Response.noContent().build();
    }

    /** The MCP clients an admin created (pre-registered, then machine clients), or those of {@code kind}. */
    private List<ClientModel> adminCreated(Optional<McpClientKind> kind) {
        return Stream.of(McpClientKind.PREREGISTERED, McpClientKind.MACHINE).filter(k -> kind.map(k::equals).orElse(true))
                .flatMap(k -> withAttribute(McpClientKind.ATTRIBUTE, k.value())).toList();
    }

    private Stream<ClientModel> withAttribute(String name, String value) {
        return McpClientDirectory.of(session).idsWithAttribute(realm, name, value, MAX_BY_ATTRIBUTE).stream()
                .map(id -> session.clients().getClientById(realm, id)).filter(Objects::nonNull);
    }

    /** An MCP client of the realm by Keycloak id, or 404 (also for clients that are not MCP clients). */
    private ClientModel mcpClient(String id) {
        ClientModel client = id == null ? null : session.clients().getClientById(realm, id);
        if (!McpClientKind.isMcpClient(client)) {
            throw notFound("No such MCP client");
        }
        return client;
    }

    private void audit(OperationType operation, ResourceType type, Object representation) {
        adminEvent.operation(operation).resource(type).resourcePath(session.getContext().getUri()).representation(representation).success();
    }

    private String adminName() {
        return access.adminName();
    }

    private static Optional<McpClientKind> kindOf(String kind) {
        if (kind == null || kind.isBlank()) {
            return Optional.empty();
        }
        for (McpClientKind candidate : McpClientKind.values()) {
            if (candidate.value().equals(kind)) {
                return Optional.of(candidate);
            }
        }
        throw refused(Response.Status.BAD_REQUEST, "invalid_request", "kind must be dynamic, metadata-document, preregistered or machine");
    }

    private static Optional<Long> wholeNumber(String name, String value, long min, long max) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        // ASCII digits only: Long.parseLong also reads other scripts' digits.
        if (value.trim().matches("[0-9]{1,18}")) {
            long number = Long.parseLong(value.trim());
            if (number >= min && number <= max) {
                return Optional.of(number);
            }
        }
        throw refused(Response.Status.BAD_REQUEST, "invalid_request", name + " must be a whole number from " + min + " to " + max);
    }

    /** A JSON object body; anything else is {@code invalid_request}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> jsonObject(String body, String example) {
        try {
            Object parsed = body == null || body.isBlank() ? null : JsonSerialization.readValue(body, Object.class);
            if (parsed instanceof Map<?, ?> object) {
                return (Map<String, Object>) object;
            }
        } catch (IOException unreadable) {
            // Answered below.
        }
        throw refused(Response.Status.BAD_REQUEST, "invalid_request", "The body must be a JSON object, e.g. " + example);
    }

    private static WebApplicationException notFound(String description) {
        return refused(Response.Status.NOT_FOUND, "not_found", description);
    }

    static WebApplicationException refused(Response.Status status, String error, String description) {
        return new WebApplicationException(Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", error, "error_description", description)).build());
    }
}

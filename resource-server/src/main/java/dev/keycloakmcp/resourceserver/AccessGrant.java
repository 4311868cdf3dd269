package dev.keycloakmcp.resourceserver;

import java.util.Optional;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import io.modelcontextprotocol.common.McpTransportContext;

/**
 * What an active, verified access token lets the caller do, as learned from introspection. Reaches tool
 * handlers through the MCP transport context.
 *
 * @param expiresAt the token's {@code exp} in epoch seconds, 0 when Keycloak did not say
 * @param boundKey  the token's {@code cnf.jkt} (RFC 9449 §6): the thumbprint of the key a DPoP-bound token is bound
 *                  to, null for a Bearer token
 */
public record AccessGrant(String subject, String username, String clientId, Set<String> scopes, long expiresAt, String boundKey) {

    /** Key under which the grant is stored in the servlet request and in the MCP transport context. */
    public static final String CONTEXT_KEY = AccessGrant.class.getName();

    public AccessGrant {
        scopes = Set.copyOf(scopes);
    }

    /** A grant for a Bearer token. */
    public AccessGrant(String subject, String username, String clientId, Set<String> scopes, long expiresAt) {
        this(subject, username, clientId, scopes, expiresAt, null);
    }

    /** Whether the token is DPoP-bound: it is only usable with a proof made with its key. */
    public boolean dpopBound() {
        return boundKey != null;
    }

    /**
     * The caller of a tool, from the MCP transport context the guard's {@link McpAuth#contextExtractor()} filled: the
     * Java counterpart of {@code getMcpSession}. Tools behind the guard always have one.
     *
     * @throws IllegalStateException there is none: the transport was built without the context extractor, or the
     *                               request did not pass the guard (a wiring bug, never a caller's fault)
     */
    public static AccessGrant of(McpTransportContext context) {
        if (context != null && context.get(CONTEXT_KEY) instanceof AccessGrant grant) {
            return grant;
        }
        throw new IllegalStateException("No access grant in the MCP transport context: build the MCP transport with "
                + "McpAuth.contextExtractor() and serve it through McpAuth.protect(...) or McpAuth.filter()");
    }

    /** The grant the guard put on a request it let through, if any. */
    public static Optional<AccessGrant> of(HttpServletRequest request) {
        return request.getAttribute(CONTEXT_KEY) instanceof AccessGrant grant ? Optional.of(grant) : Optional.empty();
    }

    /**
     * Whether the token is the client's own, with no user: a client-credentials token, whose user is the client's
     * Keycloak service account ({@value #SERVICE_ACCOUNT_PREFIX}{@code <client_id>}, a name Keycloak keeps for them).
     */
    public boolean isClientItself() {
        return username != null && clientId != null && !clientId.isEmpty() && username.equalsIgnoreCase(SERVICE_ACCOUNT_PREFIX + clientId);
    }

    /** Keycloak's username of a client's service account, before its client_id. */
    public static final String SERVICE_ACCOUNT_PREFIX = "service-account-";

    boolean expiredAt(long epochSecond) {
        return expiresAt != 0 && expiresAt <= epochSecond;
    }
}

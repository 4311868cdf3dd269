package dev.keycloakmcp.sample;

import java.util.Set;

/**
 * What an active, verified access token lets the caller do, as learned from introspection. Reaches tool
 * handlers through the MCP transport context.
 */
public record AccessGrant(String subject, String username, String clientId, Set<String> scopes) {

    /** Key under which the grant is stored in the servlet request and in the MCP transport context. */
    public static final String CONTEXT_KEY = AccessGrant.class.getName();
}

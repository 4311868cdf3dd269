package dev.keycloakmcp.resourceserver;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Who opened each MCP session: the user and client of the token that sent {@code initialize}. A session id is not a
 * credential (MCP security best practices): a request naming a session opened by another user or client is answered
 * as if the session did not exist. Kept in memory like the MCP SDK's sessions, bounded; a session idle longer than
 * the lifetime must be opened again, which MCP clients do on a 404.
 */
final class SessionOwners {

    static final Duration IDLE_LIFETIME = Duration.ofHours(1);
    static final long MAX_SESSIONS = 100_000;

    private final Cache<String, String> owners = Caffeine.newBuilder().maximumSize(MAX_SESSIONS).expireAfterAccess(IDLE_LIFETIME).build();

    static String ownerOf(AccessGrant grant) {
        return grant.subject() + " " + grant.clientId();
    }

    void opened(String sessionId, AccessGrant grant) {
        owners.put(sessionId, ownerOf(grant));
    }

    /** Whether the session was opened through this guard (and has not been idle past its lifetime). */
    boolean known(String sessionId) {
        return owners.getIfPresent(sessionId) != null;
    }

    /** Whether {@code grant} may use the session: only the user and client that opened it. */
    boolean mayUse(String sessionId, AccessGrant grant) {
        return ownerOf(grant).equals(owners.getIfPresent(sessionId));
    }
}

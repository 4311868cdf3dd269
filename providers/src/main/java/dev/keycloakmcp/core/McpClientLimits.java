package dev.keycloakmcp.core;

import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;

import dev.keycloakmcp.metrics.McpMetrics;

/**
 * The realm's rate limit on new self-registered MCP clients: so many per source address and minute.
 * Registrations and metadata documents both take it, besides Keycloak's own limits, so that a flood of either cannot
 * keep Keycloak busy; the caps on how many there may be in all are {@code directory.McpClientCap}. The numbers are
 * {@link McpRealmSettings}.
 */
public final class McpClientLimits {

    static final int WINDOW_SECONDS = 60;

    private McpClientLimits() {
    }

    /**
     * Takes one of the minute's attempts for {@code address}; refused ({@code Retry-After} until the minute ends) when
     * they are used up. Counted in Keycloak's single-use object store, which a cluster shares: each attempt takes one
     * of the minute's numbered slots with an atomic put-if-absent, so nodes cannot hand out the same slot twice.
     */
    public static void takeAttempt(KeycloakSession session, RealmModel realm, String address, McpRealmSettings settings) throws Refusal {
        int perMinute = settings.registrationsPerMinute();
        if (perMinute <= 0 || address == null) {
            return;
        }
        long now = Time.currentTime();
        long window = now / WINDOW_SECONDS;
        String prefix = "mcp-registration:" + realm.getId() + ":" + address + ":" + window + ":";
        if (!takeSlot(session.singleUseObjects(), prefix, perMinute)) {
            McpMetrics.rateLimitHit(realm.getName());
            int retryAfter = (int) Math.max(1, (window + 1) * WINDOW_SECONDS - now);
            throw Refusal.tooManyRequests("too many new MCP clients from " + address + "; retry after " + retryAfter + " s", retryAfter);
        }
    }

    /**
     * Takes the first free of the {@code perMinute} slots under {@code prefix}; false when all are taken. Slots fill
     * from 0 without gaps and none expires before its window ends, so the first free one is found by reads (local on
     * a node holding the store's copy), and one write usually takes it; a write lost to another request tries the next.
     */
    static boolean takeSlot(SingleUseObjectProvider store, String prefix, int perMinute) {
        int low = 0;
        int high = perMinute;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (store.contains(prefix + middle)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        for (int slot = low; slot < perMinute; slot++) {
            if (store.putIfAbsent(prefix + slot, WINDOW_SECONDS)) {
                return true;
            }
        }
        return false;
    }
}

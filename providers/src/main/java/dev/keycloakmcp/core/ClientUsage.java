package dev.keycloakmcp.core;

import java.util.OptionalLong;

import org.keycloak.models.ClientModel;

/**
 * When an MCP client last got a token (or registered or updated itself), for the unused-client reaper.
 * A client attribute, so every node gives the same answer; written at most once per {@link #writeInterval(long)}
 * so that token requests do not turn into client updates.
 */
public final class ClientUsage {

    public static final String LAST_USED_ATTRIBUTE = "mcp.last-used";
    public static final long MIN_WRITE_INTERVAL = 1;

    private ClientUsage() {
    }

    public static OptionalLong lastUsed(ClientModel client) {
        return TimeAttribute.read(client, LAST_USED_ATTRIBUTE);
    }

    /**
     * Records a use at {@code now} (epoch seconds) unless one was recorded recently enough for the reaper; true when
     * it did, so that the caller records it in the client directory too.
     */
    public static boolean recordUse(ClientModel client, long now, long unusedLifespan) {
        OptionalLong last = lastUsed(client);
        if (last.isEmpty() || now - last.getAsLong() >= writeInterval(unusedLifespan)) {
            client.setAttribute(LAST_USED_ATTRIBUTE, String.valueOf(now));
            return true;
        }
        return false;
    }

    /** A tenth of the lifespan, at most an hour: precise enough to never reap a client in use. */
    static long writeInterval(long unusedLifespan) {
        return Math.max(MIN_WRITE_INTERVAL, Math.min(3600, unusedLifespan / 10));
    }

    /** Whether a use at or after {@code since} (epoch seconds) is recorded. */
    public static boolean usedSince(ClientModel client, long since) {
        OptionalLong last = lastUsed(client);
        return last.isPresent() && last.getAsLong() >= since;
    }

    /** Whether a client last used at {@code lastUsed} is past its lifespan at {@code now}. */
    public static boolean isUnused(OptionalLong lastUsed, long now, long unusedLifespan) {
        return unusedLifespan > 0 && lastUsed.isPresent() && now - lastUsed.getAsLong() > unusedLifespan;
    }
}

package dev.keycloakmcp.registration;

import java.util.OptionalInt;

import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * Registrations (and clients created from metadata documents) per source address and minute, counted in Keycloak's single-use object store, which a cluster
 * shares: each attempt takes one of the minute's numbered slots with an atomic put-if-absent, so nodes cannot
 * hand out the same slot twice.
 */
public final class RegistrationRateLimit {

    static final int WINDOW_SECONDS = 60;

    private RegistrationRateLimit() {
    }

    /** Empty when the attempt may go on; otherwise the seconds to wait (for {@code Retry-After}). */
    public static OptionalInt acquire(KeycloakSession session, RealmModel realm, String address, int perMinute) {
        if (perMinute <= 0 || address == null) {
            return OptionalInt.empty();
        }
        long now = Time.currentTime();
        long window = now / WINDOW_SECONDS;
        String prefix = "mcp-registration:" + realm.getId() + ":" + address + ":" + window + ":";
        if (takeSlot(session.singleUseObjects(), prefix, perMinute)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) Math.max(1, (window + 1) * WINDOW_SECONDS - now));
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

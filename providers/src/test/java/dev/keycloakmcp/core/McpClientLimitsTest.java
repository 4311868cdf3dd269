package dev.keycloakmcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.models.SingleUseObjectProvider;

class McpClientLimitsTest {

    /** The single-use store as far as the limit uses it, counting writes (each a cluster round trip in production). */
    private static class Store implements SingleUseObjectProvider {
        final Set<String> keys = new HashSet<>();
        int writes;

        @Override
        public boolean putIfAbsent(String key, long lifespanInSeconds) {
            writes++;
            return keys.add(key);
        }

        @Override
        public boolean contains(String key) {
            return keys.contains(key);
        }

        @Override
        public void put(String key, long lifespanSeconds, Map<String, String> notes) {
            keys.add(key);
        }

        @Override
        public Map<String, String> get(String key) {
            return keys.contains(key) ? new HashMap<>() : null;
        }

        @Override
        public Map<String, String> remove(String key) {
            return keys.remove(key) ? new HashMap<>() : null;
        }

        @Override
        public boolean replace(String key, Map<String, String> notes) {
            return keys.contains(key);
        }

        @Override
        public void close() {
        }
    }

    @ParameterizedTest(name = "limit {0}, {1} taken before: allowed {2}, writes {3}")
    @CsvSource({
            "10, 0, true, 1",
            "10, 1, true, 1",
            "10, 5, true, 1",
            "10, 9, true, 1",
            "10, 10, false, 0",
            "1, 0, true, 1",
            "1, 1, false, 0",
            "100000, 0, true, 1",
            "100000, 777, true, 1",
            "100000, 99999, true, 1",
            "100000, 100000, false, 0"})
    void theFirstFreeSlotIsFoundByReadsAndTakenWithOneWrite(int limit, int taken, boolean allowed, int writes) {
        Store store = new Store();
        for (int slot = 0; slot < taken; slot++) {
            store.keys.add("p:" + slot);
        }
        assertEquals(allowed, McpClientLimits.takeSlot(store, "p:", limit));
        assertEquals(writes, store.writes);
        assertEquals(Math.min(limit, taken + 1), store.keys.size());
    }

    @ParameterizedTest(name = "limit {0}: {0} attempts allowed, the next refused")
    @CsvSource({"1", "3", "10", "64"})
    void exactlyTheLimitIsAllowed(int limit) {
        Store store = new Store();
        for (int attempt = 0; attempt < limit; attempt++) {
            assertEquals(true, McpClientLimits.takeSlot(store, "p:", limit), "attempt " + attempt);
        }
        assertEquals(false, McpClientLimits.takeSlot(store, "p:", limit));
    }

    @org.junit.jupiter.api.Test
    void aSlotTakenMeanwhileMovesOnToTheNext() {
        // Another node took slot 3 between this request's reads and its write: the write fails, the next slot is taken.
        Store store = new Store() {
            @Override
            public boolean contains(String key) {
                return !key.equals("p:3") && super.contains(key);
            }
        };
        for (int slot = 0; slot < 4; slot++) {
            store.keys.add("p:" + slot);
        }
        assertEquals(true, McpClientLimits.takeSlot(store, "p:", 10));
        assertEquals(2, store.writes);
        assertEquals(true, store.keys.contains("p:4"));
    }
}

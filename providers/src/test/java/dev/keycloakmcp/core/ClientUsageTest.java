package dev.keycloakmcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class ClientUsageTest {

    private static final long THIRTY_DAYS = 30L * 24 * 3600;

    @Test
    void usesAreWrittenAtMostHourly() {
        assertEquals(3600, ClientUsage.writeInterval(THIRTY_DAYS));
        assertEquals(6, ClientUsage.writeInterval(60));
        assertEquals(1, ClientUsage.writeInterval(5));
    }

    @Test
    void aClientIsUnusedOnlyPastItsLifespan() {
        assertFalse(ClientUsage.isUnused(OptionalLong.of(1_000), 1_000 + THIRTY_DAYS, THIRTY_DAYS));
        assertTrue(ClientUsage.isUnused(OptionalLong.of(1_000), 1_001 + THIRTY_DAYS, THIRTY_DAYS));
        assertFalse(ClientUsage.isUnused(OptionalLong.of(1_000), 1_000_000_000, 0), "0 means never");
        assertFalse(ClientUsage.isUnused(OptionalLong.empty(), 1_000_000_000, THIRTY_DAYS), "unknown use is kept");
    }
}

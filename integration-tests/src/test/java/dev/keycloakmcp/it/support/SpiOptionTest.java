package dev.keycloakmcp.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How each Keycloak line is given the pack's options (26.2.5 and 26.3.5 checked by starting them). */
class SpiOptionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "26.0.8,   --spi-events-listener-mcp-client-usage-reaper-interval=2",
            "26.2.5,   --spi-events-listener-mcp-client-usage-reaper-interval=2",
            "26.3.0,   --spi-events-listener--mcp-client-usage--reaper-interval=2",
            "26.3.5,   --spi-events-listener--mcp-client-usage--reaper-interval=2",
            "26.4.7,   --spi-events-listener--mcp-client-usage--reaper-interval=2",
            "26.5.6,   --spi-events-listener--mcp-client-usage--reaper-interval=2",
            "26.7.3,   --spi-events-listener--mcp-client-usage--reaper-interval=2",
            "26.10.1,  --spi-events-listener--mcp-client-usage--reaper-interval=2",
            "27.0.0,   --spi-events-listener--mcp-client-usage--reaper-interval=2",
            "999.0.0-SNAPSHOT, --spi-events-listener--mcp-client-usage--reaper-interval=2",
            "25.0.6,   --spi-events-listener-mcp-client-usage-reaper-interval=2"
    })
    void eachLineGetsTheSpellingItReads(String version, String expected) {
        assertEquals(expected, SpiOption.REAPER_INTERVAL.forVersion(version, 2));
    }

    @Test
    void everyPartOfTheOptionIsSeparated() {
        assertEquals("--spi-client-storage--mcp-client-metadata-documents--allow-loopback-documents=true",
                SpiOption.LOOPBACK_DOCUMENTS.forVersion("26.7.0", true));
        assertEquals("--spi-client-storage-mcp-client-metadata-documents-read-timeout-millis=2000",
                SpiOption.DOCUMENT_READ_TIMEOUT.forVersion("26.2.5", 2000));
    }

    @Test
    void somethingThatIsNoVersionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SpiOption.REAPER_INTERVAL.forVersion("latest", 2));
        assertThrows(IllegalArgumentException.class, () -> SpiOption.REAPER_INTERVAL.forVersion("26", 2));
    }
}

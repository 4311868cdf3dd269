package dev.keycloakmcp.cimd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DocumentCachingTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(nullValues = "null", delimiter = '|', value = {
            "null | 300",
            "max-age=3600 | 3600",
            "public, max-age=3600, s-maxage=7200 | 7200",
            "max-age=10 | 300",
            "max-age=999999999 | 86400",
            "max-age=99999999999999999999 | 86400",
            "no-store | 300",
            "no-cache, max-age=3600 | 300",
            "max-age=abc | 300",
            "MAX-AGE=\"600\" | 600",
            "private | 300",
    })
    void cacheControlWithinTheAdminsBounds(String cacheControl, long expectedSeconds) {
        assertEquals(Duration.ofSeconds(expectedSeconds), DocumentCaching.lifetime(cacheControl, Duration.ofSeconds(300), Duration.ofDays(1)));
    }
}

package dev.keycloakmcp.cimd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.component.ComponentModel;

import dev.keycloakmcp.core.AnonymousPolicy;

class DocumentSettingsTest {

    @ParameterizedTest(name = "min [{0}] max [{1}] → {2}..{3}")
    @CsvSource(nullValues = "null", value = {
            "null, null, 300, 86400",
            "'', ' ', 300, 86400",
            "0, 60, 0, 60",
            "600, 60, 600, 600",
            "-5, abc, 0, 86400",
            "' 120 ', 3600, 120, 3600",
    })
    void badValuesFallBackAndMaximumStaysAboveMinimum(String min, String max, long minimum, long maximum) {
        ComponentModel component = new ComponentModel();
        if (min != null) {
            component.put(DocumentSettings.MIN_CACHE_SECONDS, min);
        }
        if (max != null) {
            component.put(DocumentSettings.MAX_CACHE_SECONDS, max);
        }
        DocumentSettings settings = DocumentSettings.of(AnonymousPolicy.of(component));
        assertEquals(Duration.ofSeconds(minimum), settings.minimumCache());
        assertEquals(Duration.ofSeconds(maximum), settings.maximumCache());
    }

    @ParameterizedTest(name = "max-clients-per-host [{0}] → {1}")
    @CsvSource(nullValues = "null", value = {
            "null, 20",
            "'', 20",
            "0, 0",
            "' 5 ', 5",
            "-3, 0",
            "many, 20",
            "99999999999, 2147483647",
    })
    void theHostCapDefaultsToTwentyAndZeroSwitchesItOff(String value, int cap) {
        ComponentModel component = new ComponentModel();
        if (value != null) {
            component.put(DocumentSettings.MAX_CLIENTS_PER_HOST, value);
        }
        assertEquals(cap, DocumentSettings.of(AnonymousPolicy.of(component)).maxClientsPerHost());
    }
}

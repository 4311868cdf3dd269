package dev.keycloakmcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeycloakVersionTest {

    @ParameterizedTest
    @CsvSource({
            "26.5.6, 26.5.6, 26.5",
            "26.2.5.redhat-00001, 26.2.5, 26.2",
            "26.7, 26.7.0, 26.7",
            "26.8.0-SNAPSHOT, 26.8.0, 26.8",
            "' 999.0.1 ', 999.0.1, 999.0",
    })
    void parsesNumbersAndIgnoresSuffixes(String text, String version, String line) {
        KeycloakVersion parsed = KeycloakVersion.parse(text);
        assertEquals(version, parsed.toString());
        assertEquals(line, parsed.line());
    }

    @ParameterizedTest
    @CsvSource({
            "26.2.5, 26.3.5, -1",
            "26.7.0, 26.7.3, -1",
            "26.10.0, 26.9.9, 1",
            "27.0.0, 26.99.99, 1",
            "26.5.6, 26.5.6.redhat-1, 0",
    })
    void comparesByNumbers(String a, String b, int sign) {
        assertEquals(sign, Integer.signum(KeycloakVersion.parse(a).compareTo(KeycloakVersion.parse(b))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "26", "latest", "v26.5.6"})
    void refusesWhatIsNoVersion(String text) {
        assertThrows(IllegalArgumentException.class, () -> KeycloakVersion.parse(text));
    }
}

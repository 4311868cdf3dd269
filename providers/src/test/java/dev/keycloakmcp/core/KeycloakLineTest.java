package dev.keycloakmcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeycloakLineTest {

    private static final List<KeycloakVersion> TESTED = List.of("26.2.5", "26.5.6", "26.7.3").stream().map(KeycloakVersion::parse).toList();

    /** A later patch of a tested line is that line; only another line outside the range gets the start log line. */
    @ParameterizedTest
    @CsvSource({
            "26.2.0, ''",
            "26.2.9, ''",
            "26.4.7, ''",
            "26.7.9, ''",
            "26.8.0, newer",
            "27.0.0, newer",
            "26.1.4, older",
            "25.0.6, older",
    })
    void namesAKeycloakOutsideTheTestedLines(String running, String expected) {
        Optional<String> line = KeycloakLine.outsideTested(KeycloakVersion.parse(running), TESTED);
        if (expected.isEmpty()) {
            assertEquals(Optional.empty(), line);
        } else {
            assertTrue(line.orElseThrow().contains("Keycloak " + KeycloakVersion.parse(running) + " is " + expected), line.get());
        }
    }

    /** The start log line and the README's table read the list in this order: oldest first. */
    @Test
    void theBuildNamesTheTestedVersionsOldestFirst() {
        List<KeycloakVersion> tested = KeycloakLine.tested();
        assertTrue(tested.size() >= 2, tested.toString());
        for (int i = 1; i < tested.size(); i++) {
            assertTrue(tested.get(i - 1).compareTo(tested.get(i)) < 0, tested.toString());
        }
        assertEquals("26.2", tested.get(0).line());
    }

    /** The unit tests compile and run against the newest tested Keycloak: every probe finds its feature there. */
    @Test
    void theNewestTestedKeycloakHasEveryFeature() {
        for (KeycloakFeature feature : KeycloakFeature.values()) {
            assertTrue(KeycloakLine.has(feature), feature.name());
            assertTrue(feature.isOn(KeycloakLine.tested().get(KeycloakLine.tested().size() - 1)), feature.name());
        }
    }
}

package dev.keycloakmcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeycloakFeatureTest {

    static final String TABLE_START = "<!-- compatibility table: made by KeycloakFeatureTest from KeycloakFeature, do not edit -->";
    static final String TABLE_END = "<!-- end of compatibility table -->";

    @ParameterizedTest
    @CsvSource({
            "26.2.5, AUTHORIZATION_CHECKS, false",
            "26.5.6, AUTHORIZATION_CHECKS, false",
            "26.7.0, AUTHORIZATION_CHECKS, true",
            "26.5.6, RESOURCE_IN_CODES, false",
            "26.7.3, RESOURCE_IN_CODES, true",
            "26.3.5, ROOT_METADATA, false",
            "26.4.7, ROOT_METADATA, true",
            "26.5.6, ROOT_OPENID_CONFIGURATION, false",
            "26.7.0, ROOT_OPENID_CONFIGURATION, true",
            "27.0.0, ROOT_OPENID_CONFIGURATION, true",
    })
    void aFeatureIsOnFromItsLine(String version, KeycloakFeature feature, boolean on) {
        assertEquals(on, feature.isOn(KeycloakVersion.parse(version)));
    }

    @Test
    void theStartLineNamesTheFeatureTheLineThatHasItAndWhatThePackDoes() {
        String line = KeycloakFeature.AUTHORIZATION_CHECKS.missingLine(KeycloakVersion.parse("26.5.6"));
        assertTrue(line.startsWith("keycloak-mcp: Keycloak 26.5.6 lacks the authorization-endpoint check SPI (Keycloak 26.7 has it): "), line);
        assertTrue(line.contains("client profile \"keycloak-mcp\""), line);
        assertFalse(line.contains("\n"));
    }

    /** The README's table is this one: a feature, a tested version or a cell changed means the README changes too. */
    @Test
    void theReadmeHasTheCompatibilityTable() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf(TABLE_START);
        int end = readme.indexOf(TABLE_END);
        assertTrue(start >= 0 && end > start, "README.md has no compatibility table between " + TABLE_START + " and " + TABLE_END);
        String actual = readme.substring(start + TABLE_START.length(), end).strip();
        assertEquals(table(), actual, "Paste this table into README.md:\n" + table() + "\n");
    }

    static String table() {
        StringBuilder table = new StringBuilder("| Keycloak | Tested by | ");
        table.append(Arrays.stream(KeycloakFeature.values()).map(KeycloakFeature::column).collect(Collectors.joining(" | "))).append(" |\n");
        table.append("|---|---|").append("---|".repeat(KeycloakFeature.values().length)).append('\n');
        var tested = KeycloakLine.tested();
        for (KeycloakVersion version : tested) {
            boolean pinned = version.equals(tested.get(tested.size() - 1));
            table.append("| ").append(version).append(" | ").append(pinned ? "full suite" : "compatibility subset").append(" | ");
            table.append(Arrays.stream(KeycloakFeature.values()).map(f -> f.cell(version)).collect(Collectors.joining(" | "))).append(" |\n");
        }
        return table.toString().strip();
    }
}

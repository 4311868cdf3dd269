package dev.keycloakmcp.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OfflineAccessTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mcp:tools offline_access        | true  | mcp:tools",
            "offline_access mcp:tools openid | true  | mcp:tools openid",
            "offline_access                  | true  | ''",
            "mcp:tools  offline_access       | true  | mcp:tools",
            "mcp:tools offline_accessx       | false | mcp:tools offline_accessx",
            "mcp:tools                       | false | mcp:tools",
    })
    void offlineAccessIsDroppedAsKeycloakSplits(String scope, boolean requested, String without) {
        assertEquals(requested, OfflineAccess.isRequested(scope));
        assertEquals(without, OfflineAccess.withoutOfflineAccess(scope));
    }
}

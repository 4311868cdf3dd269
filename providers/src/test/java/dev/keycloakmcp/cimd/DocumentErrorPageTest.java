package dev.keycloakmcp.cimd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DocumentErrorPageTest {

    /** Keycloak's error page decodes entities and keeps sanitized links: no character that makes markup survives. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "Malformed redirect URI: <a href=\"https://evil.example/\">Sign in again</a> | Malformed redirect URI: a href=https://evil.example/Sign in again/a",
            "Malformed redirect URI: &lt;a href=&quot;x&quot;&gt; | Malformed redirect URI: lt;a href=quot;xquot;gt;",
            "the client's document | the client's document",
    })
    void reasonsReachThePageAsPlainText(String reason, String shown) {
        assertEquals(shown, DocumentErrorPage.asPlainText(reason));
    }
}

package dev.keycloakmcp.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.representations.oidc.OIDCClientRepresentation;

import dev.keycloakmcp.core.Refusal;

/** The one parser of registration bodies and metadata documents: strict syntax and types, unknown members ignored. */
class ClientMetadataJsonTest {

    private static OIDCClientRepresentation parse(String text) throws Refusal {
        return ClientMetadataJson.bind(ClientMetadataJson.read(text.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"client_name\":\"a\"} x                                 | The client metadata is not valid JSON",
            "{\"client_name\":\"a\"}{}                                 | The client metadata has data after its JSON object",
            "{\"client_name\":\"a\"} [1]                               | The client metadata has data after its JSON object",
            "{\"client_name\":\"a\"} \"more\"                          | The client metadata has data after its JSON object",
            "{\"client_name\":\"a\",\"client_name\":\"b\"}             | The client metadata has a member more than once: 'client_name'",
            "{\"x\":{\"y\":1,\"y\":2}}                                 | The client metadata has a member more than once: 'y'",
            "{\"scope\":5}                                             | The client metadata member 'scope' has the wrong type",
            "{\"scope\":true}                                          | The client metadata member 'scope' has the wrong type",
            "{\"client_name\":1.5}                                     | The client metadata member 'client_name' has the wrong type",
            "{\"contacts\":\"x\"}                                      | The client metadata member 'contacts' has the wrong type",
            "{\"redirect_uris\":[5]}                                   | The client metadata member 'redirect_uris' has the wrong type",
            "{\"redirect_uris\":\"\"}                                  | The client metadata member 'redirect_uris' has the wrong type",
            "{\"redirect_uris\":{\"a\":\"b\"}}                         | The client metadata member 'redirect_uris' has the wrong type",
            "{\"require_auth_time\":\"true\"}                          | The client metadata member 'require_auth_time' has the wrong type",
            "{\"require_auth_time\":1}                                 | The client metadata member 'require_auth_time' has the wrong type",
            "{\"default_max_age\":\"60\"}                              | The client metadata member 'default_max_age' has the wrong type",
            "{\"default_max_age\":60.5}                                | The client metadata member 'default_max_age' has the wrong type",
            "{\"jwks\":\"keys\"}                                       | The client metadata member 'jwks' has the wrong type",
            "{\"client_name\":\"\\ud800\"}                             | The client metadata member 'client_name' is not valid Unicode (an unpaired surrogate)",
            "{\"client_name\":\"a\\udc00b\"}                           | The client metadata member 'client_name' is not valid Unicode (an unpaired surrogate)",
            "{\"client_name\":\"\\ude00\\ud83d\"}                      | The client metadata member 'client_name' is not valid Unicode (an unpaired surrogate)",
            "{\"redirect_uris\":[\"http://localhost/\\ud800\"]}         | The client metadata member 'redirect_uris' is not valid Unicode (an unpaired surrogate)",
            "{\"x-vendor\":{\"deep\":[\"\\udfff\"]}}                   | The client metadata member 'x-vendor' is not valid Unicode (an unpaired surrogate)",
            "{\"\\ud800\":1}                                           | The client metadata has a member name that is not valid Unicode (an unpaired surrogate)",
            "[]                                                        | The client metadata is not a JSON object",
            "null                                                      | The client metadata is not a JSON object",
            "`   `                                                     | The client metadata is not a JSON object",
            "{                                                         | The client metadata is not valid JSON"
    })
    void refusesWhatALenientParserWouldAccept(String text, String reason) {
        Refusal refusal = assertThrows(Refusal.class, () -> parse(text));
        assertEquals("invalid_client_metadata", refusal.error());
        assertEquals(reason, refusal.getMessage());
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        for (byte[] bytes : List.of("{\"client_name\":\"Café\"}".getBytes(StandardCharsets.ISO_8859_1),
                "{\"client_name\":\"é\"}".getBytes(StandardCharsets.UTF_16),
                // U+D800 encoded as if it were a character (CESU-8), and an overlong '/'.
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'},
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'})) {
            Refusal refusal = assertThrows(Refusal.class, () -> ClientMetadataJson.read(bytes));
            assertEquals("The client metadata is not valid UTF-8", refusal.getMessage());
        }
    }

    @Test
    void acceptsWholeCharactersNullsAndMembersItDoesNotKnow() throws Refusal {
        OIDCClientRepresentation client = parse("""
                {"client_name":"Claude \\ud83e\\udd16 Café 日本","scope":null,"contacts":["a@example.com"],"default_max_age":60,
                 "require_auth_time":false,"software_statement":5,"x-vendor":{"nested":[1,true,null]},"resource":"http://localhost:3000/mcp"}
                """);
        assertEquals("Claude \uD83E\uDD16 Café 日本", client.getClientName());
        assertEquals(null, client.getScope());
        assertEquals(List.of("a@example.com"), client.getContacts());
        assertEquals(60, client.getDefaultMaxAge());
    }
}

package dev.keycloakmcp.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.core.ResourceIndicator;

class MachineClientRequestTest {

    private static final String KEYS = "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
            + "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\",\"alg\":\"ES256\"}]}";

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) {
        try {
            return org.keycloak.util.JsonSerialization.readValue(text, Map.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void aSecretClient() throws Refusal {
        MachineClientRequest request = MachineClientRequest.read(json("""
                {"clientId":"ci-agent","authMethod":"client_secret_basic","scopes":["mcp:tools","mcp:tools"],
                 "resources":["HTTP://Localhost:3000/mcp/","http://localhost:3000/mcp"]}"""));
        assertEquals("ci-agent", request.clientId());
        assertEquals(MachineClientRequest.AuthMethod.CLIENT_SECRET_BASIC, request.authMethod());
        assertEquals(List.of("mcp:tools"), request.scopes());
        assertEquals(List.of("http://localhost:3000/mcp"), request.resources(), "canonical, once");
        assertNull(request.jwks());
    }

    @Test
    void aKeyClient() throws Refusal {
        MachineClientRequest request = MachineClientRequest.read(json("""
                {"clientId":"nightly.build","authMethod":"private_key_jwt","jwks":%s,"signingAlg":"ES256",
                 "scopes":["mcp:tools"],"resources":["https://mcp.example.com/mcp"]}""".formatted(KEYS)));
        assertEquals(MachineClientRequest.AuthMethod.PRIVATE_KEY_JWT, request.authMethod());
        assertEquals("ES256", request.signingAlg());
        Map<?, ?> key = (Map<?, ?>) ((List<?>) request.jwks().get("keys")).get(0);
        assertEquals("sig", key.get("use"), "Keycloak ignores a client's keys without use");
        assertEquals("P-256", key.get("crv"));
    }

    /** Each row a body and what the refusal says; every one is invalid_request and nothing gets created. */
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"authMethod":"client_secret_basic","scopes":["mcp:tools"],"resources":["https://m.example/mcp"]}                                     | clientId is required
            {"clientId":"https://evil.example/x","authMethod":"client_secret_basic","scopes":["mcp:tools"],"resources":["https://m.example/mcp"]}  | clientId must be
            {"clientId":"a","authMethod":"client_secret_post","scopes":["mcp:tools"],"resources":["https://m.example/mcp"]}                      | authMethod must be
            {"clientId":"a","scopes":["mcp:tools"],"resources":["https://m.example/mcp"]}                                                        | authMethod is required
            {"clientId":"a","authMethod":"private_key_jwt","scopes":["mcp:tools"],"resources":["https://m.example/mcp"]}                         | exactly one of jwks and jwksUri
            {"clientId":"a","authMethod":"private_key_jwt","jwks":KEYS,"jwksUri":"https://k.example/jwks","scopes":["mcp:tools"],"resources":["https://m.example/mcp"]} | exactly one of jwks and jwksUri
            {"clientId":"a","authMethod":"private_key_jwt","jwks":KEYS,"signingAlg":"HS256","scopes":["mcp:tools"],"resources":["https://m.example/mcp"]} | asymmetric algorithm
            {"clientId":"a","authMethod":"private_key_jwt","jwks":KEYS,"signingAlg":"none","scopes":["mcp:tools"],"resources":["https://m.example/mcp"]}  | asymmetric algorithm
            {"clientId":"a","authMethod":"private_key_jwt","jwks":{"keys":[{"kty":"oct","k":"c2VjcmV0"}]},"scopes":["mcp:tools"],"resources":["https://m.example/mcp"]} | key type 'oct'
            {"clientId":"a","authMethod":"private_key_jwt","jwks":{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b","d":"c"}]},"scopes":["mcp:tools"],"resources":["https://m.example/mcp"]} | private member 'd'
            {"clientId":"a","authMethod":"private_key_jwt","jwks":{"keys":[{"kty":"RSA","n":"a","e":"AQAB","alg":"HS256"}]},"scopes":["mcp:tools"],"resources":["https://m.example/mcp"]} | not an asymmetric
            {"clientId":"a","authMethod":"private_key_jwt","jwks":{"keys":[{"kty":"RSA","n":"a","e":"AQAB","use":"enc"}]},"scopes":["mcp:tools"],"resources":["https://m.example/mcp"]} | use must be sig
            {"clientId":"a","authMethod":"private_key_jwt","jwks":{"keys":[]},"scopes":["mcp:tools"],"resources":["https://m.example/mcp"]}      | non-empty "keys"
            {"clientId":"a","authMethod":"private_key_jwt","jwks":"keys","scopes":["mcp:tools"],"resources":["https://m.example/mcp"]}           | JSON Web Key Set object
            {"clientId":"a","authMethod":"private_key_jwt","jwksUri":"http://k.example/jwks","scopes":["mcp:tools"],"resources":["https://m.example/mcp"]} | https URL
            {"clientId":"a","authMethod":"client_secret_basic","jwks":KEYS,"scopes":["mcp:tools"],"resources":["https://m.example/mcp"]}          | for private_key_jwt only
            {"clientId":"a","authMethod":"client_secret_basic","scopes":[],"resources":["https://m.example/mcp"]}                                | scopes is required
            {"clientId":"a","authMethod":"client_secret_basic","scopes":["mcp:tools",3],"resources":["https://m.example/mcp"]}                    | non-empty strings only
            {"clientId":"a","authMethod":"client_secret_basic","scopes":["mcp:tools"]}                                                           | resources is required
            {"clientId":"a","authMethod":"client_secret_basic","scopes":["mcp:tools"],"resources":["mcp.example.com"]}                           | not an absolute http(s) URL
            {"clientId":"a","authMethod":"client_secret_basic","scopes":["mcp:tools"],"resources":["https://m.example/mcp"],"secret":"mine"}      | Unknown member 'secret'
            {"clientId":7,"authMethod":"client_secret_basic","scopes":["mcp:tools"],"resources":["https://m.example/mcp"]}                        | clientId must be a string
            """)
    void refused(String body, String says) {
        Refusal refusal = assertThrows(Refusal.class, () -> MachineClientRequest.read(json(body.replace("KEYS", KEYS))));
        assertEquals("invalid_request", refusal.error());
        assertTrue(refusal.description().contains(says), refusal::description);
    }

    @Test
    void allowedResourcesReadBackAsStored() {
        String stored = MachineClient.format(List.of("http://localhost:3000/mcp", "https://mcp.example.com/mcp"));
        assertEquals(List.of("http://localhost:3000/mcp", "https://mcp.example.com/mcp"), MachineClient.parse(stored));
        assertEquals(List.of(), MachineClient.parse(null));
        assertEquals(List.of("http://localhost:3000/mcp"), MachineClient.parse(" http://localhost:3000/mcp ## "));
        assertTrue(ResourceIndicator.canonical("http://localhost:3000/mcp").isPresent());
    }
}

package dev.keycloakmcp.authorization;

import static dev.keycloakmcp.core.RefusalAssertions.refusalOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PkceRequirementTest {

    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    @ParameterizedTest(name = "challenge={0}, method={1}")
    @CsvSource(nullValues = "null", value = {
            "null, null, Missing parameter: code_challenge (PKCE with S256 is required)",
            "'', S256, Missing parameter: code_challenge (PKCE with S256 is required)",
            "null, S256, Missing parameter: code_challenge (PKCE with S256 is required)",
            CHALLENGE + ", null, Invalid parameter: code_challenge_method must be S256",
            CHALLENGE + ", plain, Invalid parameter: code_challenge_method must be S256",
            CHALLENGE + ", s256, Invalid parameter: code_challenge_method must be S256",
    })
    void refusesRequestsWithoutAnS256Challenge(String challenge, String method, String problem) {
        assertEquals(problem, refusalOf(() -> AuthorizationRequestRules.requireS256(challenge, method)));
    }

    @ParameterizedTest
    @CsvSource({CHALLENGE + ", S256"})
    void acceptsAnS256Challenge(String challenge, String method) {
        assertNull(refusalOf(() -> AuthorizationRequestRules.requireS256(challenge, method)));
    }
}

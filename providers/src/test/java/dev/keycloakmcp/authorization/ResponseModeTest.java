package dev.keycloakmcp.authorization;

import static dev.keycloakmcp.core.RefusalAssertions.refusalOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseModeTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(nullValues = "absent", value = {
            "absent, accepted",
            "query, accepted",
            "fragment, refused",
            "form_post, refused",
            "jwt, refused",
            "query.jwt, refused",
            "fragment.jwt, refused",
            "form_post.jwt, refused",
            "QUERY, refused"
    })
    void onlyTheQueryCarriesAnMcpClientsAnswer(String responseMode, String outcome) {
        assertEquals(outcome.equals("refused"), refusalOf(() -> AuthorizationRequestRules.requireQueryResponseMode(responseMode)) != null);
    }
}

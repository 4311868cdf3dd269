package dev.keycloakmcp.resourceserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.keycloakmcp.resourceserver.BearerToken.Presentation;

class BearerTokenTest {

    static Stream<Arguments> requests() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJl";
        return Stream.of(
                Arguments.of(List.of("Bearer " + jwt), null, "application/json", Presentation.PRESENTED),
                Arguments.of(List.of("bearer " + jwt), null, null, Presentation.PRESENTED),
                Arguments.of(List.of("BEARER   " + jwt + "  "), "session=1", "application/json", Presentation.PRESENTED),
                Arguments.of(List.of("Bearer abc+/~_-.=="), null, null, Presentation.PRESENTED),
                Arguments.of(List.of(), null, "application/json", Presentation.MISSING),
                Arguments.of(List.of("Basic dXNlcjpwYXNz"), null, null, Presentation.MISSING),
                Arguments.of(List.of("Bearertoken"), null, null, Presentation.MISSING),
                Arguments.of(List.of("Bearer"), null, null, Presentation.MALFORMED),
                Arguments.of(List.of("Bearer "), null, null, Presentation.MALFORMED),
                Arguments.of(List.of("Bearer two words"), null, null, Presentation.MALFORMED),
                Arguments.of(List.of("Bearer not\"quoted"), null, null, Presentation.MALFORMED),
                Arguments.of(List.of("Bearer =abc"), null, null, Presentation.MALFORMED),
                Arguments.of(List.of("Bearer ==="), null, null, Presentation.MALFORMED),
                Arguments.of(List.of("Bearer ab=cd"), null, null, Presentation.MALFORMED),
                Arguments.of(List.of("Bearer caf\u00e9"), null, null, Presentation.MALFORMED),
                Arguments.of(List.of("Bearer a,b"), null, null, Presentation.MALFORMED),
                Arguments.of(List.of("Bearer " + "a".repeat(BearerToken.MAX_LENGTH + 1)), null, null, Presentation.MALFORMED),
                Arguments.of(List.of(), "access_token=" + jwt, null, Presentation.NOT_IN_HEADER),
                Arguments.of(List.of(), "a=1&ACCESS_TOKEN=x", null, Presentation.NOT_IN_HEADER),
                Arguments.of(List.of(), "access%5Ftoken=x", null, Presentation.NOT_IN_HEADER),
                Arguments.of(List.of("Bearer " + jwt), "access_token=" + jwt, null, Presentation.NOT_IN_HEADER),
                Arguments.of(List.of(), null, "application/x-www-form-urlencoded", Presentation.NOT_IN_HEADER),
                Arguments.of(List.of("Bearer " + jwt), null, "Application/X-WWW-Form-Urlencoded; charset=UTF-8", Presentation.NOT_IN_HEADER),
                Arguments.of(List.of("Bearer " + jwt, "Bearer " + jwt), null, null, Presentation.NOT_IN_HEADER),
                Arguments.of(List.of(), "token=x&%zz=1", null, Presentation.MISSING));
    }

    @ParameterizedTest
    @MethodSource("requests")
    void onlyTheAuthorizationHeaderCarriesAToken(List<String> headers, String query, String contentType,
            Presentation expected) {
        BearerToken token = BearerToken.of(headers, query, contentType);
        assertEquals(expected, token.presentation());
        assertEquals(expected == Presentation.PRESENTED, token.value() != null);
    }
}

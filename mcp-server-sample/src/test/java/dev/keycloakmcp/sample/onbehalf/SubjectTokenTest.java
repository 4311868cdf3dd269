package dev.keycloakmcp.sample.onbehalf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubjectTokenTest {

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(value = {
        "Bearer abc.def.ghi | abc.def.ghi",
        "bearer abc         | abc",
        "DPoP abc           | abc",
        "Basic dXNlcjpwdw== | ",
        "Bearer             | ",
        "abc                | ",
        "                   | ",
    }, delimiter = '|')
    void tokenOfTheAuthorizationHeader(String header, String token) {
        assertEquals(token, SubjectToken.token(header));
    }

    @ParameterizedTest
    @CsvSource({"secret-token-value"})
    void neverPrinted(String value) {
        assertFalse(new SubjectToken(value).toString().contains(value));
    }
}

package dev.keycloakmcp.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class McpAuthorizationBeanTest {

    @ParameterizedTest(name = "[{index}] {0} https-only={1}")
    @CsvSource(nullValues = "null", value = {
            "https://cdn.example.com/logo.png, true, https://cdn.example.com/logo.png",
            "HTTPS://cdn.example.com/logo.png, true, HTTPS://cdn.example.com/logo.png",
            "http://cdn.example.com/logo.png, true, null",
            "http://client.example.com, false, http://client.example.com",
            "javascript:alert(1), false, null",
            "'data:image/png;base64,AAAA', true, null",
            "//cdn.example.com/logo.png, true, null",
            "/relative/logo.png, true, null",
            "https://user:pass@cdn.example.com/logo.png, true, null",
            "'https://cdn.example.com/a b.png', true, null",
            "null, true, null",
            "https://client.example.com/\u202Eabout, false, https://client.example.com/%E2%80%AEabout",
    })
    void onlyAbsoluteWebUrlsAreShownAndLogosOnlyOverHttps(String value, boolean httpsOnly, String shown) {
        assertEquals(shown, McpAuthorizationBean.webUrl(value, httpsOnly));
    }
}

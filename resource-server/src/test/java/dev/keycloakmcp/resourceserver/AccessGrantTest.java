package dev.keycloakmcp.resourceserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessGrantTest {

    /** A client-credentials token's user is the client's service account; a person's token is a person's. */
    @ParameterizedTest(name = "{0} via {1}: {2}")
    @CsvSource(nullValues = "null", textBlock = """
            service-account-demo-agent, demo-agent,  true
            service-account-demo-agent, Demo-Agent,  true
            alice,                      demo-agent,  false
            service-account-demo-agent, other-agent, false
            service-account-,           '',          false
            null,                       demo-agent,  false
            service-account-demo-agent, null,        false
            """)
    void clientItselfOnlyForItsOwnServiceAccount(String username, String clientId, boolean itself) {
        assertEquals(itself, new AccessGrant("sub", username, clientId, Set.of(), 0).isClientItself());
    }
}

package dev.keycloakmcp.housekeeping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;

class ClientUsageEventListenerTest {

    @ParameterizedTest(name = "{0} grant_type={1} error={2}: {3}")
    @CsvSource(nullValues = "null", value = {
            "CODE_TO_TOKEN, authorization_code, null, true",
            "REFRESH_TOKEN, refresh_token, null, true",
            "OAUTH2_DEVICE_CODE_TO_TOKEN, urn:ietf:params:oauth:grant-type:device_code, null, true",
            "LOGIN, urn:ietf:params:oauth:grant-type:jwt-bearer, null, true",
            "LOGIN_ERROR, urn:ietf:params:oauth:grant-type:jwt-bearer, invalid_grant, false",
            "CLIENT_LOGIN, client_credentials, null, false",
            "LOGIN, null, null, false",
            "CODE_TO_TOKEN_ERROR, authorization_code, invalid_code, false"})
    void aTokenIssuedToTheClientCountsAsUse(EventType type, String grantType, String error, boolean counted) {
        Event event = new Event();
        event.setType(type);
        event.setError(error);
        if (grantType != null) {
            event.setDetails(Map.of("grant_type", grantType));
        }
        assertEquals(counted, ClientUsageEventListener.isTokenIssued(event));
    }
}

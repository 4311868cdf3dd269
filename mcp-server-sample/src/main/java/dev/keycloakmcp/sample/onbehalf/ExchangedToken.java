package dev.keycloakmcp.sample.onbehalf;

import java.time.Duration;

/**
 * A token Keycloak issued for the downstream API in exchange for the user's MCP token. Never printed.
 *
 * @param value    the access token
 * @param lifetime {@code expires_in}: how long it is valid from when Keycloak answered
 * @param scope    the scope Keycloak granted
 */
public record ExchangedToken(String value, Duration lifetime, String scope) {

    @Override
    public String toString() {
        return "ExchangedToken[lifetime=" + lifetime + ", scope=" + scope + "]";
    }
}

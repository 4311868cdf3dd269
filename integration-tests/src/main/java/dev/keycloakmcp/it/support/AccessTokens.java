package dev.keycloakmcp.it.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Reads the claims of a JWT access token (tests and benchmark only: no signature check; the MCP server introspects). */
public final class AccessTokens {

    private AccessTokens() {
    }

    public static Map<String, Object> claims(String jwt) {
        String payload = jwt.split("\\.")[1];
        return Json.object(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    }

    public static List<?> audience(String jwt) {
        Object aud = claims(jwt).get("aud");
        return aud instanceof List<?> list ? list : aud == null ? List.of() : List.of(aud);
    }
}

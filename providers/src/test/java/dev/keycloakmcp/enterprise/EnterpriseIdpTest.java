package dev.keycloakmcp.enterprise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.util.JsonSerialization;

import dev.keycloakmcp.core.Refusal;

class EnterpriseIdpTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) {
        try {
            return JsonSerialization.readValue(text, Map.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void anEmptyBodyTakesTheSafeDefaults() throws Refusal {
        EnterpriseIdp idp = EnterpriseIdp.read("okta", Map.of());
        assertEquals(List.of("RS256", "ES256"), idp.algorithms());
        assertFalse(idp.emailFallback());
        assertFalse(idp.publicClients());
        assertEquals(300, idp.maxLifetimeSeconds());
    }

    @Test
    void readsEverySetting() throws Refusal {
        EnterpriseIdp idp = EnterpriseIdp.read("okta", json("""
                {"algorithms":["PS256","ES384","PS256"],"emailFallback":true,"publicClients":true,"maxLifetimeSeconds":600}"""));
        assertEquals(List.of("PS256", "ES384"), idp.algorithms());
        assertTrue(idp.emailFallback());
        assertTrue(idp.publicClients());
        assertEquals(600, idp.maxLifetimeSeconds());
        assertEquals(idp, EnterpriseIdp.read("okta", idp.settings()), "what is stored reads back the same");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"algorithms\":[\"none\"]}",
            "{\"algorithms\":[\"HS256\"]}",
            "{\"algorithms\":[\"RS256\",\"HS512\"]}",
            "{\"algorithms\":[]}",
            "{\"algorithms\":\"RS256\"}",
            "{\"algorithms\":[\"rs256\"]}",
            "{\"maxLifetimeSeconds\":9}",
            "{\"maxLifetimeSeconds\":3601}",
            "{\"maxLifetimeSeconds\":\"300\"}",
            "{\"maxLifetimeSeconds\":30.5}",
            "{\"emailFallback\":\"yes\"}",
            "{\"publicClients\":1}",
            "{\"trusted\":true}"})
    void refusesWhatCouldWeakenTheCheck(String body) {
        assertEquals("invalid_request", assertThrows(Refusal.class, () -> EnterpriseIdp.read("okta", json(body))).error());
    }

    @ParameterizedTest
    @CsvSource({
            "RS256, RSA, true", "PS512, RSA, true", "ES256, EC, true", "EdDSA, OKP, true",
            "RS256, EC, false", "ES256, RSA, false", "EdDSA, RSA, false", "HS256, OCT, false", "none, RSA, false"})
    void anAlgorithmFitsItsKeyType(String alg, String keyType, boolean fits) {
        assertEquals(fits, AssertionSignature.fits(alg, keyType));
    }
}

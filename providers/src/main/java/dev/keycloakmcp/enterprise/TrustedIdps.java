package dev.keycloakmcp.enterprise;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.broker.oidc.OIDCIdentityProviderConfig;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.util.JsonSerialization;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.keycloakmcp.core.Refusal;

/**
 * The identity providers a realm trusts for ID-JAGs, kept as one realm attribute ({@value #ATTRIBUTE}, JSON by alias):
 * read with the realm from Keycloak's realm cache on every node, so the token endpoint finds the issuer's IdP without
 * scanning the realm's identity providers, and a realm export carries it.
 */
public final class TrustedIdps {

    private static final Logger LOG = Logger.getLogger(TrustedIdps.class);
    static final String ATTRIBUTE = "mcp.id-jag.idps";
    /** Keycloak's OpenID Connect identity provider types: those have an issuer and keys to verify with. */
    static final List<String> OIDC_PROVIDERS = List.of("oidc", "keycloak-oidc");

    private TrustedIdps() {
    }

    /** Whether any identity provider of the realm is trusted for ID-JAGs: what the metadata advertises. */
    public static boolean any(RealmModel realm) {
        return !stored(realm).isEmpty();
    }

    /** The trusted, enabled OpenID Connect identity provider whose issuer is {@code issuer}. */
    static Optional<Trusted> byIssuer(KeycloakSession session, RealmModel realm, String issuer) {
        if (issuer == null) {
            return Optional.empty();
        }
        return all(session, realm).stream().filter(trusted -> trusted.provider().isEnabled() && issuer.equals(trusted.config().getIssuer())).findFirst();
    }

    /** Every trusted identity provider that still exists. */
    static List<Trusted> all(KeycloakSession session, RealmModel realm) {
        List<Trusted> trusted = new ArrayList<>();
        stored(realm).forEach((alias, settings) -> {
            IdentityProviderModel provider = session.identityProviders().getByAlias(alias);
            if (provider != null && OIDC_PROVIDERS.contains(provider.getProviderId())) {
                try {
                    trusted.add(new Trusted(provider, new OIDCIdentityProviderConfig(provider), EnterpriseIdp.read(alias, settings)));
                } catch (Refusal broken) {
                    // Edited by hand into what the admin API refuses: not trusted until fixed, rather than trusted with guesses.
                    LOG.warnf("Realm %s: the ID-JAG settings of identity provider %s are not valid (%s); it is not trusted", realm.getName(), alias,
                            broken.description());
                }
            }
        });
        return trusted;
    }

    /** What the admin API shows: each trusted identity provider with its settings. */
    public static List<Map<String, Object>> views(KeycloakSession session, RealmModel realm) {
        return all(session, realm).stream().map(Trusted::view).toList();
    }

    /**
     * Trusts (or re-configures) the identity provider {@code alias} with the settings in an admin's request body; checked
     * whole before anything is stored.
     *
     * @return what the admin API shows for it
     */
    public static Map<String, Object> trust(KeycloakSession session, RealmModel realm, String alias, Map<String, Object> body) throws Refusal {
        return trust(session, realm, EnterpriseIdp.read(alias, body)).view();
    }

    static Trusted trust(KeycloakSession session, RealmModel realm, EnterpriseIdp idp) throws Refusal {
        IdentityProviderModel provider = session.identityProviders().getByAlias(idp.alias());
        if (provider == null) {
            throw Refusal.invalidRequest("The realm has no identity provider '" + idp.alias() + "'");
        }
        if (!OIDC_PROVIDERS.contains(provider.getProviderId())) {
            throw Refusal.invalidRequest("Only OpenID Connect identity providers can issue ID-JAGs; '" + idp.alias() + "' is " + provider.getProviderId());
        }
        OIDCIdentityProviderConfig config = new OIDCIdentityProviderConfig(provider);
        if (config.getIssuer() == null || config.getIssuer().isBlank()) {
            throw Refusal.invalidRequest("The identity provider needs its issuer set: assertions are matched to it by iss");
        }
        boolean jwks = config.isUseJwksUrl() && config.getJwksUrl() != null && !config.getJwksUrl().isBlank();
        boolean key = !config.isUseJwksUrl() && config.getPublicKeySignatureVerifier() != null && !config.getPublicKeySignatureVerifier().isBlank();
        if (!jwks && !key) {
            throw Refusal.invalidRequest("The identity provider needs its keys: a JWKS URL (useJwksUrl) or a public key to validate signatures with");
        }
        for (Trusted other : all(session, realm)) {
            if (!other.settings().alias().equals(idp.alias()) && config.getIssuer().equals(other.config().getIssuer())) {
                throw Refusal.invalidRequest("The identity provider '" + other.settings().alias() + "' is already trusted with the same issuer");
            }
        }
        Map<String, Map<String, Object>> stored = new LinkedHashMap<>(stored(realm));
        stored.put(idp.alias(), idp.settings());
        store(realm, stored);
        return new Trusted(provider, config, idp);
    }

    /** Stops trusting the identity provider {@code alias} for ID-JAGs; the identity provider itself stays. */
    public static void distrust(RealmModel realm, String alias) {
        Map<String, Map<String, Object>> stored = new LinkedHashMap<>(stored(realm));
        if (stored.remove(alias) != null) {
            store(realm, stored);
        }
    }

    /** A trusted identity provider: Keycloak's model and OpenID Connect settings, and the pack's. */
    record Trusted(IdentityProviderModel provider, OIDCIdentityProviderConfig config, EnterpriseIdp settings) {

        /** What the admin API shows. */
        Map<String, Object> view() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("alias", settings.alias());
            view.put("issuer", config.getIssuer());
            view.put("jwksUrl", config.isUseJwksUrl() ? config.getJwksUrl() : null);
            view.put("enabled", provider.isEnabled());
            view.putAll(settings.settings());
            return view;
        }
    }

    private static Map<String, Map<String, Object>> stored(RealmModel realm) {
        String json = realm.getAttribute(ATTRIBUTE);
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return JsonSerialization.readValue(json, new TypeReference<LinkedHashMap<String, Map<String, Object>>>() {
            });
        } catch (IOException | RuntimeException unreadable) {
            return Map.of();
        }
    }

    private static void store(RealmModel realm, Map<String, Map<String, Object>> stored) {
        if (stored.isEmpty()) {
            realm.removeAttribute(ATTRIBUTE);
            return;
        }
        try {
            realm.setAttribute(ATTRIBUTE, JsonSerialization.writeValueAsString(stored));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write the trusted identity providers", e);
        }
    }
}

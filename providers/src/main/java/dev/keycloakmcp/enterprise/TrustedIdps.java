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
 * scanning the realm's identity providers, and a realm export carries it. Each entry names the identity provider's
 * internal id too: an identity provider deleted and made again under the same alias is not trusted until an admin says
 * so again. Only what can still verify an assertion counts (enabled, OpenID Connect, issuer, JWKS URL).
 */
public final class TrustedIdps {

    private static final Logger LOG = Logger.getLogger(TrustedIdps.class);
    static final String ATTRIBUTE = "mcp.id-jag.idps";
    /** The stored member binding an entry to one identity provider, not to whatever later takes its alias. */
    static final String INTERNAL_ID = "internalId";
    /** Keycloak's OpenID Connect identity provider types: those have an issuer and keys to verify with. */
    static final List<String> OIDC_PROVIDERS = List.of("oidc", "keycloak-oidc");

    private TrustedIdps() {
    }

    /** Whether an identity provider of the realm can be used for ID-JAGs now: what the metadata advertises. */
    public static boolean any(KeycloakSession session, RealmModel realm) {
        return realm.getAttribute(ATTRIBUTE) != null && !usable(session, realm).isEmpty();
    }

    /** The usable trusted identity provider whose issuer is {@code issuer}. */
    static Optional<Trusted> byIssuer(KeycloakSession session, RealmModel realm, String issuer) {
        return issuer == null ? Optional.empty() : usable(session, realm).stream().filter(trusted -> issuer.equals(trusted.config().getIssuer())).findFirst();
    }

    /** What the admin API shows: each trusted identity provider with its settings, and whether it can be used now. */
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
        EnterpriseIdp idp = EnterpriseIdp.read(alias, body);
        IdentityProviderModel provider = session.identityProviders().getByAlias(alias);
        if (provider == null) {
            throw Refusal.invalidRequest("The realm has no identity provider '" + alias + "'");
        }
        Trusted trusted = new Trusted(provider, new OIDCIdentityProviderConfig(provider), idp);
        Optional<String> cannotVerify = trusted.cannotVerify();
        if (cannotVerify.isPresent()) {
            throw Refusal.invalidRequest(cannotVerify.get());
        }
        for (Trusted other : usable(session, realm)) {
            if (!other.settings().alias().equals(alias) && trusted.config().getIssuer().equals(other.config().getIssuer())) {
                throw Refusal.invalidRequest("The identity provider '" + other.settings().alias() + "' is already trusted with the same issuer");
            }
        }
        Map<String, Map<String, Object>> stored = new LinkedHashMap<>(stored(realm));
        Map<String, Object> entry = new LinkedHashMap<>(idp.settings());
        entry.put(INTERNAL_ID, provider.getInternalId());
        stored.put(alias, entry);
        store(realm, stored);
        return trusted.view();
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

        /** Why its assertions are refused now, if they are: it cannot verify them, or it is disabled. */
        Optional<String> unusable() {
            return cannotVerify().or(() -> provider.isEnabled() ? Optional.empty() : Optional.of("The identity provider is disabled"));
        }

        /**
         * Why it cannot verify assertions, if it cannot. Keys only from a JWKS URL: Keycloak caches a configured public
         * key with the algorithm of the first token it checks, so one forged header could make it refuse the IdP's real
         * assertions until the cache forgets.
         */
        Optional<String> cannotVerify() {
            if (!OIDC_PROVIDERS.contains(provider.getProviderId())) {
                return Optional.of("Only OpenID Connect identity providers can issue ID-JAGs; '" + settings.alias() + "' is " + provider.getProviderId());
            }
            if (config.getIssuer() == null || config.getIssuer().isBlank()) {
                return Optional.of("The identity provider needs its issuer set: assertions are matched to it by iss");
            }
            if (!config.isUseJwksUrl() || config.getJwksUrl() == null || config.getJwksUrl().isBlank()) {
                return Optional.of("The identity provider needs its keys from a JWKS URL (useJwksUrl and jwksUrl)");
            }
            return Optional.empty();
        }

        /** What the admin API shows. */
        Map<String, Object> view() {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("alias", settings.alias());
            view.put("issuer", config.getIssuer());
            view.put("jwksUrl", config.isUseJwksUrl() ? config.getJwksUrl() : null);
            view.put("enabled", provider.isEnabled());
            view.putAll(settings.settings());
            view.put("usable", unusable().isEmpty());
            unusable().ifPresent(reason -> view.put("unusableBecause", reason));
            return view;
        }
    }

    private static List<Trusted> usable(KeycloakSession session, RealmModel realm) {
        return all(session, realm).stream().filter(trusted -> trusted.unusable().isEmpty()).toList();
    }

    /** Every stored entry whose identity provider still exists as the one the admin trusted. */
    private static List<Trusted> all(KeycloakSession session, RealmModel realm) {
        List<Trusted> trusted = new ArrayList<>();
        stored(realm).forEach((alias, stored) -> {
            IdentityProviderModel provider = session.identityProviders().getByAlias(alias);
            if (provider == null || !provider.getInternalId().equals(stored.get(INTERNAL_ID))) {
                return;
            }
            Map<String, Object> settings = new LinkedHashMap<>(stored);
            settings.remove(INTERNAL_ID);
            try {
                trusted.add(new Trusted(provider, new OIDCIdentityProviderConfig(provider), EnterpriseIdp.read(alias, settings)));
            } catch (Refusal broken) {
                // Edited by hand into what the admin API refuses: not trusted until fixed, rather than trusted with guesses.
                LOG.warnf("Realm %s: the ID-JAG settings of identity provider %s are not valid (%s); it is not trusted", realm.getName(), alias,
                        broken.description());
            }
        });
        return trusted;
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
            LOG.warnf("Realm %s: the realm attribute %s is not valid JSON; no identity provider is trusted for ID-JAGs", realm.getName(), ATTRIBUTE);
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

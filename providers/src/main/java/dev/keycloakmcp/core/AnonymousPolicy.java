package dev.keycloakmcp.core;

import java.util.List;
import java.util.Optional;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicyManager;
import org.keycloak.services.clientregistration.policy.RegistrationAuth;

/**
 * A realm's anonymous client registration policy (Clients → Client registration → Anonymous access policies).
 * The pack keeps admin settings there: the admin edits them in the console, and every node of a cluster reads the
 * same components. A policy under authenticated access means nothing to the pack.
 */
public final class AnonymousPolicy {

    private final ComponentModel component;

    private AnonymousPolicy(ComponentModel component) {
        this.component = component;
    }

    /** The realm's anonymous policy of provider {@code providerId}, if it has one. */
    public static Optional<AnonymousPolicy> of(RealmModel realm, String providerId) {
        return realm.getComponentsStream(realm.getId(), ClientRegistrationPolicy.class.getName())
                .filter(component -> providerId.equals(component.getProviderId()))
                .filter(AnonymousPolicy::isAnonymous)
                .findFirst()
                .map(AnonymousPolicy::new);
    }

    /** The settings of a policy component not (yet) stored, e.g. one being validated. */
    public static AnonymousPolicy of(ComponentModel component) {
        return new AnonymousPolicy(component);
    }

    public static boolean isAnonymous(ComponentModel component) {
        return ClientRegistrationPolicyManager.getComponentTypeKey(RegistrationAuth.ANONYMOUS).equals(component.getSubType());
    }

    /** The stored component, for a change an admin asked for through the pack (then {@code realm.updateComponent}). */
    public ComponentModel component() {
        return component;
    }

    public List<String> list(String key) {
        List<String> values = component.getConfig().get(key);
        return values == null ? List.of() : values;
    }

    public boolean flag(String key) {
        return Boolean.parseBoolean(component.get(key));
    }

    /** A whole number of the settings: negatives count as 0; missing or unreadable values get {@code fallback}. */
    public long wholeNumber(String key, long fallback) {
        return wholeNumberOf(component.get(key), fallback);
    }

    static long wholeNumberOf(String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}

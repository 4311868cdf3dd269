package dev.keycloakmcp.cimd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

import dev.keycloakmcp.core.AnonymousPolicy;
import dev.keycloakmcp.core.McpRealmSetup;
import dev.keycloakmcp.core.TimeAttribute;

/**
 * What admins see and change of a realm's metadata-document clients: when a client's copy was fetched and until when
 * it is trusted, how long a revoked client stays out, and the hosts whose documents are refused. A blocked host is
 * an entry of the document policy's denied domains, the setting admins already edit in the console: one list, kept
 * where every node reads it.
 */
public final class DocumentClients {

    private DocumentClients() {
    }

    public static OptionalLong fetched(ClientModel client) {
        return TimeAttribute.read(client, DocumentCopy.FETCHED_ATTRIBUTE);
    }

    public static OptionalLong expires(ClientModel client) {
        return TimeAttribute.read(client, DocumentCopy.EXPIRES_ATTRIBUTE);
    }

    /** How long a revoked document client may not come back; the default where the realm has no document policy. */
    public static Duration revokedBlock(RealmModel realm) {
        return DocumentSettings.of(realm).map(DocumentSettings::revokedBlock)
                .orElse(Duration.ofSeconds(DocumentSettings.DEFAULT_REVOKED_BLOCK_SECONDS));
    }

    /** Whether the realm accepts metadata documents at all. */
    public static boolean accepted(RealmModel realm) {
        return policy(realm).isPresent();
    }

    /** The hosts (domains, subdomains included) whose documents the realm refuses. */
    public static List<String> blockedHosts(RealmModel realm) {
        return policy(realm).map(policy -> policy.list(DocumentSettings.DENIED_DOMAINS)).orElse(List.of());
    }

    /** A host as an admin may block it (a domain name, no scheme, port or path), lower case; empty otherwise. */
    public static Optional<String> hostName(String host) {
        String name = host == null ? "" : host.trim().toLowerCase(Locale.ROOT).replaceAll("\\.+$", "");
        return !name.isEmpty() && name.length() <= 253 && MetadataDocumentPolicyFactory.DOMAIN.matcher(name).matches()
                && !name.startsWith("*.") && !name.startsWith(".") ? Optional.of(name) : Optional.empty();
    }

    /**
     * Refuses documents from {@code host} (a {@link #hostName}) from now on: it joins the denied domains; false if an
     * entry there already covers it (the same domain however written, or a parent domain) or the realm accepts no
     * documents.
     */
    public static boolean blockHost(RealmModel realm, String host) {
        Optional<AnonymousPolicy> policy = policy(realm);
        if (policy.isEmpty() || policy.get().list(DocumentSettings.DENIED_DOMAINS).stream()
                .anyMatch(entry -> entry != null && DomainRules.covers(DomainRules.normalised(entry), host))) {
            return false;
        }
        List<String> denied = new ArrayList<>(policy.get().list(DocumentSettings.DENIED_DOMAINS));
        denied.add(host);
        store(realm, policy.get(), denied);
        return true;
    }

    /**
     * Accepts documents from {@code entry} again: removes every denied-domain entry that names the same domain, however
     * an admin wrote it ({@code *.example.com}, {@code Example.com.}); false if none did.
     */
    public static boolean unblockHost(RealmModel realm, String entry) {
        Optional<AnonymousPolicy> policy = policy(realm);
        String domain = entry == null ? "" : DomainRules.normalised(entry);
        if (policy.isEmpty() || domain.isEmpty()) {
            return false;
        }
        List<String> denied = new ArrayList<>(policy.get().list(DocumentSettings.DENIED_DOMAINS));
        if (!denied.removeIf(listed -> listed == null || DomainRules.normalised(listed).equals(domain))) {
            return false;
        }
        store(realm, policy.get(), denied);
        return true;
    }

    private static void store(RealmModel realm, AnonymousPolicy policy, List<String> denied) {
        ComponentModel component = policy.component();
        component.getConfig().put(DocumentSettings.DENIED_DOMAINS, denied);
        realm.updateComponent(component);
    }

    private static Optional<AnonymousPolicy> policy(RealmModel realm) {
        return AnonymousPolicy.of(realm, McpRealmSetup.DOCUMENT_POLICY);
    }
}

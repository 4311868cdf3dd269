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
     * Refuses documents from {@code host} from now on (it joins the denied domains); false if it was already refused or
     * the realm accepts no documents.
     */
    public static boolean blockHost(RealmModel realm, String host) {
        return changeDenied(realm, host, true);
    }

    /** Accepts documents from {@code host} again; false if it was not among the denied domains. */
    public static boolean unblockHost(RealmModel realm, String host) {
        return changeDenied(realm, host, false);
    }

    private static boolean changeDenied(RealmModel realm, String host, boolean deny) {
        Optional<AnonymousPolicy> policy = policy(realm);
        if (policy.isEmpty()) {
            return false;
        }
        ComponentModel component = policy.get().component();
        List<String> denied = new ArrayList<>(policy.get().list(DocumentSettings.DENIED_DOMAINS));
        boolean changed = deny ? !denied.contains(host) && denied.add(host) : denied.remove(host);
        if (changed) {
            component.getConfig().put(DocumentSettings.DENIED_DOMAINS, denied);
            realm.updateComponent(component);
        }
        return changed;
    }

    private static Optional<AnonymousPolicy> policy(RealmModel realm) {
        return AnonymousPolicy.of(realm, McpRealmSetup.DOCUMENT_POLICY);
    }
}

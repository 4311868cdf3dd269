package dev.keycloakmcp.cimd;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * Cluster-wide bookkeeping of the fetches of one document URL, in Keycloak's single-use object store: one request
 * at a time makes a client from it or refreshes it (the others wait for that one or use the stored copy), and a
 * document found wanting is not fetched again for a while — so that neither a crowd of requests nor a slow or broken
 * document host can make Keycloak fetch over and over.
 */
final class DocumentFetches {

    /** How long a claim holds: longer than any fetch, short enough for a crashed node's claim to clear. */
    static final int CLAIM_SECONDS = 15;
    /** How long a refused document's reason is given again without fetching. */
    static final int REMEMBERED_REFUSAL_SECONDS = 30;

    enum Purpose { CREATE, REFRESH }

    private final SingleUseObjectProvider store;
    private final String url;

    DocumentFetches(KeycloakSession session, RealmModel realm, String url) {
        this.store = session.singleUseObjects();
        this.url = "mcp-document:" + realm.getId() + ":" + sha256(url);
    }

    /** Takes the URL for {@code purpose}; false when another request has it. */
    boolean claim(Purpose purpose) {
        return store.putIfAbsent(url + ":" + purpose, CLAIM_SECONDS);
    }

    void release(Purpose purpose) {
        store.remove(url + ":" + purpose);
    }

    /** The reason the document was refused a moment ago, if it was. */
    Optional<String> rememberedRefusal() {
        Map<String, String> notes = store.get(url + ":refused");
        return notes == null ? Optional.empty() : Optional.ofNullable(notes.get("reason"));
    }

    void rememberRefusal(String reason) {
        store.put(url + ":refused", REMEMBERED_REFUSAL_SECONDS, Map.of("reason", reason));
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}

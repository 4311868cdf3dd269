package dev.keycloakmcp.cimd;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.utils.KeycloakModelUtils;

import dev.keycloakmcp.core.Refusal;

/**
 * Who may fetch a document URL right now, and what was refused a moment ago, cluster-wide in the single-use object store.
 * One request at a time makes a client from a URL or refreshes it (the others are refused, or wait for the refresh),
 * and a refused document is not fetched again for a while, so that neither a crowd of requests nor a slow or broken
 * host can make Keycloak fetch over and over. On one node Keycloak's realm cache already runs the lookups of one
 * client id one after another; the creation claim covers the other nodes.
 */
final class FetchClaims {

    /** How long a claim outlives the longest fetch; short enough for a crashed node's claim to clear soon. */
    static final int CLAIM_MARGIN_SECONDS = 10;
    /** How long a refused document's reason is given again without fetching. */
    static final int REMEMBERED_REFUSAL_SECONDS = 30;
    /** How much longer than the fetch's deadline a request waits for another's refresh (which also stores the copy). */
    static final Duration WAIT_MARGIN = Duration.ofSeconds(2);
    /** How often a waiting request looks whether the claim is gone (the store has no notifications). */
    private static final long POLL_MILLIS = 50;

    enum Purpose { CREATE, REFRESH }

    private final KeycloakSession session;
    private final SingleUseObjectProvider store;
    private final String url;
    private final long claimSeconds;
    private final Duration fetchTimeout;

    FetchClaims(KeycloakSession session, RealmModel realm, String url, Duration fetchTimeout) {
        this.session = session;
        this.store = session.singleUseObjects();
        this.url = "mcp-document:" + realm.getId() + ":" + sha256(url);
        this.claimSeconds = (fetchTimeout.toMillis() + 999) / 1000 + CLAIM_MARGIN_SECONDS;
        this.fetchTimeout = fetchTimeout;
    }

    /** Takes the URL for {@code purpose}; false when another request has it. (Claims take effect at once.) */
    boolean claim(Purpose purpose) {
        return store.putIfAbsent(url + ":" + purpose, claimSeconds);
    }

    void release(Purpose purpose) {
        store.remove(url + ":" + purpose);
    }

    /**
     * Waits until another request's claim for {@code purpose} is released, at most the fetch's deadline and a margin;
     * false if it is still held then (a node that died holding it) or the wait was interrupted.
     */
    boolean awaitRelease(Purpose purpose) {
        long deadline = System.nanoTime() + fetchTimeout.plus(WAIT_MARGIN).toNanos();
        while (store.contains(url + ":" + purpose)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Releases the claim once this request's transaction has ended, committed (the client is then there for all to
     * find) or rolled back (by a later error page: the client is gone and may be made again at once).
     */
    void releaseAfterThisRequest(Purpose purpose) {
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                release(purpose);
            }

            @Override
            protected void rollbackImpl() {
                release(purpose);
            }
        });
    }

    /** Refused again, without fetching, when the document was refused a moment ago. */
    void requireNoRecentRefusal() throws Refusal {
        Map<String, String> notes = store.get(url + ":refused");
        if (notes != null && notes.get("reason") != null) {
            throw Refusal.invalidClient(notes.get("reason"));
        }
    }

    /**
     * Remembers why the document was refused. Written in a transaction of its own: the request's own ends in an
     * error page, which rolls it back, and the store's writes with it.
     */
    void remember(Refusal refusal) {
        String reason = refusal.description();
        String key = url + ":refused";
        KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(),
                own -> own.singleUseObjects().put(key, REMEMBERED_REFUSAL_SECONDS, Map.of("reason", reason)));
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}

package dev.keycloakmcp.resourceserver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;



/**
 * The realm's signing keys (its JWKS), fetched at startup and kept. A token naming a key id that is not among them
 * makes the server fetch them again — Keycloak may have rotated its keys — but one fetch at a time (requests
 * waiting for it share it) and at most once per refetch interval, so that made-up key ids cannot make the server
 * hammer Keycloak. When the keys cannot be fetched, only tokens with an unknown key id fail closed (503): every
 * other token is still checked against the keys already known. A refetch replaces the whole set, so keys Keycloak
 * removed are dropped then (introspection refuses their tokens meanwhile).
 */
public final class RealmKeys {

    private static final Logger LOG = LoggerFactory.getLogger(RealmKeys.class);

    /** A signing key of the realm with its verifier, built once per fetch. */
    record SigningKey(JWK jwk, JWSVerifier verifier) {
    }

    private final URI jwksUri;
    private final HttpClient http;
    private final Duration timeout;
    private final Duration refetchInterval;
    private final LongSupplier nanoClock;
    /** Requests waiting for a refetch, bounded like introspections: past it they get 503 rather than hold a thread. */
    private final Semaphore waiting;
    private final int maxWaiting;
    private volatile Map<String, List<SigningKey>> byKeyId = Map.of();

    private final Object lock = new Object();
    private CompletableFuture<Map<String, List<SigningKey>>> refetch;
    private long lastRefetchStarted;
    private boolean refetched;
    private boolean lastRefetchFailed;

    RealmKeys(URI jwksUri, HttpClient http, Duration timeout, Duration refetchInterval, int maxWaiting, LongSupplier nanoClock) {
        this.jwksUri = jwksUri;
        this.http = http;
        this.timeout = timeout;
        this.refetchInterval = refetchInterval;
        this.waiting = new Semaphore(maxWaiting);
        this.maxWaiting = maxWaiting;
        this.nanoClock = nanoClock;
    }

    /** Fetches the keys now: a wrong URL or an unreachable Keycloak stops the server at startup with a clear message. */
    public static RealmKeys fetch(McpAuthSettings config, URI jwksUri, HttpClient http) {
        RealmKeys keys = new RealmKeys(jwksUri, http, config.introspection().timeout(), config.signedTokens().refetchInterval(),
                config.introspection().maxConcurrent(), System::nanoTime);
        keys.load();
        return keys;
    }

    void load() {
        try {
            byKeyId = download().join();
        } catch (CompletionException e) {
            throw new McpAuthSetupException(e.getCause().getMessage() + ": check the JWKS URL", e.getCause(),
                    McpAuthSetupException.Setting.JWKS_URL);
        }
    }

    /**
     * The realm's signing keys with this id; none when the realm has no such key (as of a fetch within the refetch
     * interval).
     *
     * @throws AuthorizationServerUnavailable the id is unknown and the keys could not be fetched (now, or at the
     *                                        last attempt within the interval): the token may be valid, so fail closed
     */
    List<SigningKey> withId(String keyId) throws AuthorizationServerUnavailable {
        List<SigningKey> known = byKeyId.get(keyId);
        if (known != null) {
            return known;
        }
        CompletableFuture<Map<String, List<SigningKey>>> pending;
        synchronized (lock) {
            known = byKeyId.get(keyId);
            if (known != null) {
                return known;
            }
            if (refetch != null) {
                pending = refetch;
            } else if (refetched && nanoClock.getAsLong() - lastRefetchStarted < refetchInterval.toNanos()) {
                if (lastRefetchFailed) {
                    throw new AuthorizationServerUnavailable("The realm's keys could not be fetched from " + jwksUri + " lately", null);
                }
                return List.of();
            } else {
                refetched = true;
                lastRefetchStarted = nanoClock.getAsLong();
                pending = startRefetch();
            }
        }
        if (!waiting.tryAcquire()) {
            throw new AuthorizationServerUnavailable("Already " + maxWaiting + " requests waiting for the realm's keys", null);
        }
        Map<String, List<SigningKey>> keys;
        try {
            // The fetch bounds itself; the extra second only guards against a bug there turning into a hang.
            keys = pending.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw cause instanceof AuthorizationServerUnavailable unavailable ? unavailable
                    : new AuthorizationServerUnavailable("Fetching the realm's keys did not finish: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthorizationServerUnavailable("Interrupted while waiting for the realm's keys", e);
        } finally {
            waiting.release();
        }
        return keys.getOrDefault(keyId, List.of());
    }

    /** Called holding {@link #lock}. */
    private CompletableFuture<Map<String, List<SigningKey>>> startRefetch() {
        CompletableFuture<Map<String, List<SigningKey>>> started = new CompletableFuture<>();
        // Set before the fetch starts: its completion, which may run on this thread, clears it.
        refetch = started;
        download().whenComplete((keys, failure) -> {
            synchronized (lock) {
                refetch = null;
                lastRefetchFailed = failure != null;
                if (keys != null) {
                    byKeyId = keys;
                }
            }
            if (failure != null) {
                started.completeExceptionally(failure instanceof CompletionException ? failure.getCause() : failure);
            } else {
                LOG.info("Fetched the realm's signing keys again from {}: key ids {}", jwksUri, keys.keySet());
                started.complete(keys);
            }
        });
        return started;
    }

    private CompletableFuture<Map<String, List<SigningKey>>> download() {
        HttpRequest request = HttpRequest.newBuilder(jwksUri).timeout(timeout).header("Accept", "application/json").GET().build();
        return BoundedCall.send(http, request, timeout).handle((response, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                throw new CompletionException(new AuthorizationServerUnavailable(
                        "Fetching the realm's keys from " + jwksUri + " failed: " + BoundedCall.reason(cause), cause));
            }
            if (response.statusCode() != 200) {
                throw new CompletionException(new AuthorizationServerUnavailable(
                        "The realm's keys at " + jwksUri + " answered HTTP " + response.statusCode(), null));
            }
            try {
                return signingKeys(JWKSet.parse(response.body()));
            } catch (ParseException | RuntimeException e) {
                throw new CompletionException(new AuthorizationServerUnavailable(
                        "The realm's keys at " + jwksUri + " are not a JSON Web Key Set", e));
            }
        });
    }

    /**
     * The keys a token may be signed with: public RSA and EC keys with an id, meant for signatures (Keycloak's JWKS
     * also lists its encryption key). Keys of other types are left out: no allowed algorithm uses them.
     */
    static Map<String, List<SigningKey>> signingKeys(JWKSet set) {
        Map<String, List<SigningKey>> keys = new HashMap<>();
        for (JWK jwk : set.getKeys()) {
            if (jwk.getKeyID() == null || (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse()))) {
                continue;
            }
            JWSVerifier verifier;
            try {
                if (jwk instanceof RSAKey rsa) {
                    verifier = new RSASSAVerifier(rsa.toPublicJWK());
                } else if (jwk instanceof ECKey ec) {
                    verifier = new ECDSAVerifier(ec.toPublicJWK());
                } else {
                    continue;
                }
            } catch (JOSEException e) {
                // A curve no allowed algorithm uses.
                continue;
            }
            keys.computeIfAbsent(jwk.getKeyID(), id -> new ArrayList<>()).add(new SigningKey(jwk.toPublicJWK(), verifier));
        }
        Map<String, List<SigningKey>> frozen = new HashMap<>();
        keys.forEach((id, list) -> frozen.put(id, List.copyOf(list)));
        return Map.copyOf(frozen);
    }
}

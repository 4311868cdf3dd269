package dev.keycloakmcp.resourceserver;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;



/**
 * Verifies tokens: a token already answered for is taken from the cache; any other is first checked here
 * ({@link SignedTokenCheck}: signature against the realm's keys, issuer, audience, type, lifetime) and only if it
 * passes introspected, so made-up tokens are refused without using an introspection (nor a cache entry) and cannot
 * crowd out new valid tokens. Introspection answers are remembered in a bounded cache:
 * <ul>
 * <li>an active token is trusted until its {@code exp} and at most the configured maximum, so a token revoked at
 * Keycloak stops working within that maximum;</li>
 * <li>a refused token stays refused for a short while, so a client retrying a bad token does not load Keycloak;</li>
 * <li>requests with the same token while Keycloak is being asked wait for that one answer (single flight);</li>
 * <li>at most the configured number of introspections are in flight: past it, requests that need one fail at once
 * rather than pile up waiting for a slow Keycloak;</li>
 * <li>a failed introspection is not remembered: the next request asks again, so the server recovers by itself.</li>
 * </ul>
 * The cache is keyed by the token's SHA-256, so it holds no usable token. Cache lookups and introspections are
 * reported to the server's {@link AuthorizationEvents}.
 */
public final class TokenVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(TokenVerifier.class);

    private final SignedTokenCheck check;
    private final TokenIntrospector introspector;
    private final IntrospectionSettings settings;
    private final AsyncCache<String, Answer> answers;
    private final Semaphore inFlight;
    private final AuthorizationEvents events;

    public TokenVerifier(SignedTokenCheck check, TokenIntrospector introspector, IntrospectionSettings settings, AuthorizationEvents events) {
        this.check = check;
        this.introspector = introspector;
        this.settings = settings;
        this.events = events;
        this.inFlight = new Semaphore(settings.maxConcurrent());
        this.answers = settings.cached()
                ? Caffeine.newBuilder().maximumSize(settings.cacheSize()).expireAfter(new AnswerLifetime(settings)).buildAsync()
                : null;
    }

    /**
     * A verifier for the realm of {@code settings}: reads the issuer's metadata, tries the credentials at its
     * introspection endpoint and fetches its keys, so that a wrong setting fails now.
     *
     * @throws McpAuthSetupException a setting is wrong or Keycloak cannot be reached
     */
    public static TokenVerifier connect(McpAuthSettings settings, AuthorizationEvents events) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(settings.introspection().connectTimeout()).build();
        IssuerMetadata issuer = IssuerMetadata.read(settings, http);
        TokenIntrospector introspector = TokenIntrospector.connect(settings, issuer.introspectionEndpoint(), http);
        SignedTokenCheck check = new SignedTokenCheck(settings, RealmKeys.fetch(settings, issuer.jwksUri(), http));
        return new TokenVerifier(check, introspector, settings.introspection(), events);
    }

    /**
     * A verifier that introspects every token it has no answer for, without checking it first: the sample as it was
     * before the local check, for the benchmark to measure that check against. Made-up tokens use up introspections
     * with it: never use it to serve.
     */
    public static TokenVerifier introspectionOnly(TokenIntrospector introspector, IntrospectionSettings settings, AuthorizationEvents events) {
        return new TokenVerifier(null, introspector, settings, events);
    }

    /** Where this verifier reports what it does. */
    public AuthorizationEvents events() {
        return events;
    }

    /**
     * Keycloak's answer about one token, or why there is none. A failure is an answer too (rather than a failed
     * future) so that the cache hands it to every request waiting for it and then drops it at once.
     */
    record Answer(Optional<AccessGrant> grant, AuthorizationServerUnavailable failure) {

        static Answer of(Optional<AccessGrant> grant, Throwable failure) {
            if (failure == null) {
                return new Answer(grant, null);
            }
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            return new Answer(Optional.empty(), cause instanceof AuthorizationServerUnavailable unavailable ? unavailable
                    : new AuthorizationServerUnavailable("Introspection failed: " + cause, cause));
        }
    }

    /** The grant of a token valid for this server now, or empty for one to refuse with 401. */
    public Optional<AccessGrant> verify(String token) throws AuthorizationServerUnavailable {
        String key = answers == null ? null : key(token);
        // A token with an answer (or one on its way) passed the local check when it was first seen.
        CompletableFuture<Answer> pending = answers == null ? null : answers.getIfPresent(key);
        if (answers != null) {
            events.cacheLookup(pending != null);
        }
        if (pending == null) {
            SignedTokenCheck.Verdict verdict = check == null ? SignedTokenCheck.Verdict.PASSED : check.check(token);
            if (verdict != SignedTokenCheck.Verdict.PASSED) {
                LOG.debug("Token refused without introspection: {}", verdict);
                return Optional.empty();
            }
            pending = answers == null ? ask(token) : answers.get(key, (k, executor) -> ask(token));
        }
        Answer answer;
        try {
            // The introspection bounds itself; the extra second only guards against a bug there turning into a hang.
            answer = pending.get(settings.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AuthorizationServerUnavailable("Introspection did not finish: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthorizationServerUnavailable("Interrupted while waiting for introspection", e);
        }
        if (answer.failure() != null) {
            if (answers != null) {
                // Its lifetime is zero, but the next request could come before the cache has applied it.
                answers.asMap().remove(key, pending);
            }
            throw answer.failure();
        }
        // A cached answer may outlive the token by up to a second (exp has second precision).
        return answer.grant().filter(grant -> !grant.expiredAt(Instant.now().getEpochSecond()));
    }

    private CompletableFuture<Answer> ask(String token) {
        long started = System.nanoTime();
        if (!inFlight.tryAcquire()) {
            events.introspection("busy", System.nanoTime() - started);
            return CompletableFuture.completedFuture(Answer.of(null, new AuthorizationServerUnavailable(
                    "Already " + settings.maxConcurrent() + " introspections in flight", null)));
        }
        return introspector.introspect(token).whenComplete((grant, failure) -> {
            inFlight.release();
            String outcome = failure != null ? "failed" : grant.isPresent() ? "active" : "inactive";
            events.introspection(outcome, System.nanoTime() - started);
        }).handle(Answer::of);
    }

    private static String key(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /** How long an answer is kept: see the class comment. */
    static final class AnswerLifetime implements Expiry<String, Answer> {

        private final IntrospectionSettings settings;

        AnswerLifetime(IntrospectionSettings settings) {
            this.settings = settings;
        }

        static Duration lifetime(Answer answer, IntrospectionSettings settings, Instant now) {
            if (answer.failure() != null) {
                return Duration.ZERO;
            }
            if (answer.grant().isEmpty()) {
                return settings.inactiveMaxAge();
            }
            long expiresAt = answer.grant().get().expiresAt();
            if (expiresAt == 0) {
                return settings.cacheMaxAge();
            }
            Duration untilExpiry = Duration.between(now, Instant.ofEpochSecond(expiresAt));
            if (untilExpiry.isNegative()) {
                return Duration.ZERO;
            }
            return untilExpiry.compareTo(settings.cacheMaxAge()) < 0 ? untilExpiry : settings.cacheMaxAge();
        }

        @Override
        public long expireAfterCreate(String key, Answer answer, long currentTime) {
            return lifetime(answer, settings, Instant.now()).toNanos();
        }

        @Override
        public long expireAfterUpdate(String key, Answer answer, long currentTime, long currentDuration) {
            return lifetime(answer, settings, Instant.now()).toNanos();
        }

        @Override
        public long expireAfterRead(String key, Answer answer, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}

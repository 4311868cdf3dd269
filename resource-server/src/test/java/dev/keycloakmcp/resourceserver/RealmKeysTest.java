package dev.keycloakmcp.resourceserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;

import dev.keycloakmcp.resourceserver.SignedTokenCheck.Verdict;

/**
 * The realm's keys: fetched again for an unknown key id at most once per interval (on a clock the test moves),
 * one fetch at a time, rotated keys picked up, and a failed fetch closing only on unknown key ids.
 */
class RealmKeysTest {

    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private final AtomicLong clock = new AtomicLong();

    private RealmKeys keys(StubAuthorizationServer keycloak, int maxWaiting) {
        McpAuthSettings config = keycloak.config(Map.of());
        RealmKeys keys = new RealmKeys(keycloak.jwksUri(), StubAuthorizationServer.http(config), Duration.ofSeconds(5), INTERVAL,
                maxWaiting, clock::get);
        keys.load();
        return keys;
    }

    private static SignedTokenCheck check(StubAuthorizationServer keycloak, RealmKeys keys) {
        return new SignedTokenCheck(keycloak.config(Map.of()), keys);
    }

    private static String signedBy(RSAKey key) {
        return StubAuthorizationServer.sign(StubAuthorizationServer.accessTokenClaims().build(), key, JWSAlgorithm.RS256);
    }

    @Test
    void anUnknownKeyIdCausesAtMostOneFetchPerInterval() throws Exception {
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            RealmKeys keys = keys(keycloak, 32);
            assertEquals(1, keycloak.keyFetches.get(), "fetched at startup");
            assertEquals(List.of(), keys.withId("unknown-1"));
            assertEquals(2, keycloak.keyFetches.get(), "the first unknown key id is looked up");
            for (int i = 0; i < 100; i++) {
                assertEquals(List.of(), keys.withId("made-up-" + i));
            }
            assertEquals(2, keycloak.keyFetches.get(), "the next ones within the interval are not");
            assertEquals(1, keys.withId(StubAuthorizationServer.REALM_KEY.getKeyID()).size(), "known keys need no fetch");
            clock.addAndGet(INTERVAL.toNanos());
            assertEquals(List.of(), keys.withId("unknown-2"));
            assertEquals(3, keycloak.keyFetches.get(), "once the interval is over, one more");
        }
    }

    @Test
    void concurrentTokensWithUnknownKeyIdsShareOneFetch() throws Exception {
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            RealmKeys keys = keys(keycloak, 64);
            keycloak.keysDelay = Duration.ofMillis(300);
            ExecutorService callers = Executors.newFixedThreadPool(32);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<RealmKeys.SigningKey>>> answers = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    String keyId = "made-up-" + i;
                    answers.add(callers.submit(() -> {
                        start.await();
                        return keys.withId(keyId);
                    }));
                }
                start.countDown();
                for (Future<List<RealmKeys.SigningKey>> answer : answers) {
                    assertEquals(List.of(), answer.get());
                }
            } finally {
                callers.shutdownNow();
            }
            assertEquals(2, keycloak.keyFetches.get(), "startup and one refetch");
        }
    }

    @Test
    void rotatedKeysArePickedUpAndRemovedOnesDropped() throws Exception {
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            RealmKeys keys = keys(keycloak, 32);
            SignedTokenCheck check = check(keycloak, keys);
            RSAKey rotated = StubAuthorizationServer.rsaKey("realm-rsa-2");
            String oldToken = StubAuthorizationServer.token();
            keycloak.keys = new JWKSet(List.of(rotated.toPublicJWK(), StubAuthorizationServer.REALM_KEY.toPublicJWK())).toString();
            assertEquals(Verdict.PASSED, check.check(signedBy(rotated)), "a token signed with the new key");
            assertEquals(Verdict.PASSED, check.check(oldToken), "tokens signed with the previous key still pass");
            assertEquals(2, keycloak.keyFetches.get());

            keycloak.keys = new JWKSet(rotated.toPublicJWK()).toString();
            clock.addAndGet(INTERVAL.toNanos());
            assertEquals(Verdict.NO_SUCH_KEY, check.check(signedBy(StubAuthorizationServer.rsaKey("made-up"))));
            assertEquals(Verdict.NO_SUCH_KEY, check.check(oldToken), "the previous key is gone after the next fetch");
        }
    }

    @Test
    void unfetchableKeysFailOnlyUnknownKeyIds() throws Exception {
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            RealmKeys keys = keys(keycloak, 32);
            SignedTokenCheck check = check(keycloak, keys);
            String unknownKeyId = signedBy(StubAuthorizationServer.rsaKey("realm-rsa-new"));
            for (Runnable outage : List.<Runnable>of(() -> keycloak.keysStatus = 503, () -> keycloak.keys = "<html>proxy error</html>",
                    () -> keycloak.keys = "{\"keys\":\"none\"}")) {
                outage.run();
                clock.addAndGet(INTERVAL.toNanos());
                int before = keycloak.keyFetches.get();
                assertThrows(AuthorizationServerUnavailable.class, () -> check.check(unknownKeyId));
                assertEquals(before + 1, keycloak.keyFetches.get());
                assertThrows(AuthorizationServerUnavailable.class, () -> check.check(unknownKeyId), "still unknown, no answer yet");
                assertEquals(before + 1, keycloak.keyFetches.get(), "without asking again within the interval");
                assertEquals(Verdict.PASSED, check.check(StubAuthorizationServer.token()), "tokens signed with a known key still pass");
                assertEquals(Verdict.BAD_SIGNATURE, check.check(signedBy(StubAuthorizationServer.rsaKey(
                        StubAuthorizationServer.REALM_KEY.getKeyID()))), "and forged ones are still refused");
                assertEquals(Verdict.WRONG_ISSUER, check.check("eyJhbGciOiJSUzI1NiJ9.e30.c2ln"));
                keycloak.keysStatus = 200;
                keycloak.keys = new JWKSet(StubAuthorizationServer.REALM_KEY.toPublicJWK()).toString();
            }
            clock.addAndGet(INTERVAL.toNanos());
            assertEquals(Verdict.NO_SUCH_KEY, check.check(unknownKeyId), "a plain refusal once the keys can be fetched again");
        }
    }

    @Test
    void pastTheWaitingLimitRequestsFailAtOnce() throws Exception {
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            RealmKeys keys = keys(keycloak, 1);
            keycloak.keysDelay = Duration.ofSeconds(3);
            ExecutorService caller = Executors.newSingleThreadExecutor();
            try {
                Future<List<RealmKeys.SigningKey>> waiting = caller.submit(() -> keys.withId("made-up-1"));
                while (keycloak.keyFetches.get() < 2) {
                    Thread.sleep(10);
                }
                assertThrows(AuthorizationServerUnavailable.class, () -> keys.withId("made-up-2"));
                assertEquals(List.of(), waiting.get());
            } finally {
                caller.shutdownNow();
            }
        }
    }

    @Test
    void unfetchableKeysAtStartupStopTheServer() throws Exception {
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            keycloak.keysStatus = 404;
            McpAuthSettings config = keycloak.config(Map.of());
            McpAuthSetupException error = assertThrows(McpAuthSetupException.class,
                    () -> RealmKeys.fetch(config, keycloak.jwksUri(), StubAuthorizationServer.http(config)));
            assertEquals(List.of(McpAuthSetupException.Setting.JWKS_URL), error.settings());
            assertTrue(error.getMessage().contains("404"), error.getMessage());
        }
    }
}

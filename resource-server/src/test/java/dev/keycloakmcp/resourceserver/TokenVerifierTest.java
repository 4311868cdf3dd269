package dev.keycloakmcp.resourceserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TokenVerifierTest {

    private static final long IN_AN_HOUR = Instant.now().getEpochSecond() + 3600;

    @Test
    void oneTokenConcurrentlyCausesOneIntrospection() throws Exception {
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            keycloak.body = StubAuthorizationServer.active(IN_AN_HOUR);
            keycloak.delay = Duration.ofMillis(300);
            TokenVerifier verifier = keycloak.verifier(keycloak.config(Map.of()));
            String tokenA = StubAuthorizationServer.token();
            ExecutorService callers = Executors.newFixedThreadPool(32);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Optional<AccessGrant>>> answers = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    answers.add(callers.submit(() -> {
                        start.await();
                        return verifier.verify(tokenA);
                    }));
                }
                start.countDown();
                for (Future<Optional<AccessGrant>> answer : answers) {
                    assertEquals("alice", answer.get().orElseThrow().username());
                }
            } finally {
                callers.shutdownNow();
            }
            assertEquals(1, keycloak.calls.get());
            verifier.verify(tokenA);
            assertEquals(1, keycloak.calls.get(), "answered from the cache");
            verifier.verify(StubAuthorizationServer.token());
            assertEquals(2, keycloak.calls.get(), "another token is asked about");
        }
    }

    @Test
    void refusedTokensAreRememberedBriefly() throws Exception {
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            TokenVerifier verifier = keycloak.verifier(keycloak.config(Map.of("MCP_INACTIVE_TOKEN_CACHE_SECONDS", "1")));
            String revoked = StubAuthorizationServer.token();
            assertEquals(Optional.empty(), verifier.verify(revoked));
            assertEquals(Optional.empty(), verifier.verify(revoked));
            assertEquals(1, keycloak.calls.get());
            Thread.sleep(1200);
            assertEquals(Optional.empty(), verifier.verify(revoked));
            assertEquals(2, keycloak.calls.get(), "asked again once the short lifetime is over");
        }
    }

    @Test
    void activeAnswersLiveNoLongerThanTheConfiguredMaximum() throws Exception {
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            String token = StubAuthorizationServer.token();
            keycloak.body = StubAuthorizationServer.active(IN_AN_HOUR);
            TokenVerifier verifier = keycloak.verifier(keycloak.config(Map.of("MCP_TOKEN_CACHE_SECONDS", "1")));
            assertTrue(verifier.verify(token).isPresent());
            keycloak.body = "{\"active\":false}";
            assertTrue(verifier.verify(token).isPresent(), "still trusted within the maximum");
            Thread.sleep(1200);
            assertEquals(Optional.empty(), verifier.verify(token), "a token revoked meanwhile is refused after the maximum");
        }
    }

    @Test
    void anExpiredTokenIsNotServedFromTheCache() throws Exception {
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            String token = StubAuthorizationServer.token();
            long expiresAt = Instant.now().getEpochSecond() + 3;
            keycloak.body = StubAuthorizationServer.active(expiresAt);
            TokenVerifier verifier = keycloak.verifier(keycloak.config(Map.of()));
            assertTrue(verifier.verify(token).isPresent());
            Thread.sleep(Math.max(0, expiresAt * 1000 - System.currentTimeMillis()) + 100);
            keycloak.body = "{\"active\":false}";
            assertEquals(Optional.empty(), verifier.verify(token));
            assertEquals(2, keycloak.calls.get(), "the entry lived no longer than the token");
        }
    }

    @Test
    void failuresAreNotCachedSoTheServerRecoversByItself() throws Exception {
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            String token = StubAuthorizationServer.token();
            TokenVerifier verifier = keycloak.verifier(keycloak.config(Map.of()));
            keycloak.status = 500;
            assertThrows(AuthorizationServerUnavailable.class, () -> verifier.verify(token));
            keycloak.status = 401;
            assertThrows(AuthorizationServerUnavailable.class, () -> verifier.verify(token));
            keycloak.status = 200;
            keycloak.body = "<html>proxy error</html>";
            assertThrows(AuthorizationServerUnavailable.class, () -> verifier.verify(token));
            keycloak.body = StubAuthorizationServer.active(IN_AN_HOUR);
            assertTrue(verifier.verify(token).isPresent());
            assertEquals(4, keycloak.calls.get());
        }
    }

    @Test
    void aSlowAuthorizationServerTimesOutInsteadOfHanging() throws Exception {
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            String token = StubAuthorizationServer.token();
            keycloak.body = StubAuthorizationServer.active(IN_AN_HOUR);
            keycloak.delay = Duration.ofSeconds(3);
            TokenVerifier verifier = keycloak.verifier(keycloak.config(Map.of("MCP_INTROSPECTION_TIMEOUT_MS", "300")));
            long started = System.nanoTime();
            assertThrows(AuthorizationServerUnavailable.class, () -> verifier.verify(token));
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(3)) < 0, "gave up before the answer came");
        }
    }

    @Test
    void pastTheIntrospectionLimitRequestsFailAtOnce() throws Exception {
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            keycloak.body = StubAuthorizationServer.active(IN_AN_HOUR);
            keycloak.delay = Duration.ofSeconds(2);
            TokenVerifier verifier = keycloak.verifier(keycloak.config(Map.of("MCP_MAX_CONCURRENT_INTROSPECTIONS", "1")));
            ExecutorService caller = Executors.newSingleThreadExecutor();
            try {
                String second = StubAuthorizationServer.token();
                Future<Optional<AccessGrant>> slow = caller.submit(() -> verifier.verify(StubAuthorizationServer.token()));
                while (keycloak.calls.get() == 0) {
                    Thread.sleep(10);
                }
                long started = System.nanoTime();
                assertThrows(AuthorizationServerUnavailable.class, () -> verifier.verify(second));
                assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(1)) < 0, "did not wait");
                assertTrue(slow.get().isPresent());
                assertTrue(verifier.verify(second).isPresent(), "a slot is free again");
            } finally {
                caller.shutdownNow();
            }
        }
    }

    @Test
    void tokensRefusedHereCostNoIntrospectionAndNeverA503() throws Exception {
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            keycloak.body = StubAuthorizationServer.active(IN_AN_HOUR);
            TokenVerifier verifier = keycloak.verifier(keycloak.config(Map.of("MCP_MAX_CONCURRENT_INTROSPECTIONS", "1")));
            List<String> junkTokens = SignedTokenCheckTest.junkTokens();
            keycloak.gate = new CountDownLatch(1);
            ExecutorService caller = Executors.newSingleThreadExecutor();
            try {
                Future<Optional<AccessGrant>> held = caller.submit(() -> verifier.verify(StubAuthorizationServer.token()));
                while (keycloak.calls.get() == 0) {
                    Thread.sleep(10);
                }
                // The only introspection is taken: made-up, forged, misaddressed, refresh and expired tokens are still
                // refused plainly (401), not with 503, and Keycloak is not asked.
                for (String junk : junkTokens) {
                    assertEquals(Optional.empty(), verifier.verify(junk));
                }
                assertThrows(AuthorizationServerUnavailable.class, () -> verifier.verify(StubAuthorizationServer.token()),
                        "a new valid token needs an introspection");
                keycloak.gate.countDown();
                assertTrue(held.get().isPresent());
                assertEquals(1, keycloak.calls.get());
            } finally {
                keycloak.gate.countDown();
                caller.shutdownNow();
            }
        }
    }

    @Test
    void withTheCacheOffEveryRequestIsIntrospected() throws Exception {
        try (StubAuthorizationServer keycloak = new StubAuthorizationServer()) {
            String token = StubAuthorizationServer.token();
            keycloak.body = StubAuthorizationServer.active(IN_AN_HOUR);
            TokenVerifier verifier = keycloak.verifier(keycloak.config(Map.of("MCP_TOKEN_CACHE_SECONDS", "0")));
            for (int i = 0; i < 3; i++) {
                assertTrue(verifier.verify(token).isPresent());
            }
            assertEquals(3, keycloak.calls.get());
        }
    }

    static Stream<Arguments> lifetimes() {
        Instant now = Instant.ofEpochSecond(1_000_000);
        AccessGrant noExpiry = new AccessGrant("s", "u", "c", Set.of(), 0);
        return Stream.of(
                Arguments.of(TokenVerifier.Answer.of(Optional.empty(), null), now, Duration.ofSeconds(5)),
                Arguments.of(TokenVerifier.Answer.of(Optional.of(noExpiry), null), now, Duration.ofSeconds(30)),
                Arguments.of(TokenVerifier.Answer.of(Optional.of(new AccessGrant("s", "u", "c", Set.of(), 1_000_300)), null), now, Duration.ofSeconds(30)),
                Arguments.of(TokenVerifier.Answer.of(Optional.of(new AccessGrant("s", "u", "c", Set.of(), 1_000_010)), null), now, Duration.ofSeconds(10)),
                Arguments.of(TokenVerifier.Answer.of(Optional.of(new AccessGrant("s", "u", "c", Set.of(), 999_990)), null), now, Duration.ZERO),
                Arguments.of(TokenVerifier.Answer.of(null, new java.net.ConnectException()), now, Duration.ZERO));
    }

    @ParameterizedTest
    @MethodSource("lifetimes")
    void anAnswerLivesUntilExpiryWithinTheMaximum(TokenVerifier.Answer answer, Instant now, Duration expected) {
        IntrospectionSettings settings = new IntrospectionSettings(null, Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofSeconds(30), Duration.ofSeconds(5), 100, 32);
        assertEquals(expected, TokenVerifier.AnswerLifetime.lifetime(answer, settings, now));
    }
}

package dev.keycloakmcp.sample.onbehalf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.github.benmanes.caffeine.cache.Ticker;

/** The cache of exchanged tokens on a fake clock: keyed by user, kept until the margin before expiry, failures not kept. */
class ExchangedTokensTest {

    private final AtomicLong nanos = new AtomicLong();
    private final Ticker clock = nanos::get;
    private final List<String> outcomes = new ArrayList<>();
    private final List<String> exchanged = new ArrayList<>();
    private Duration lifetime = Duration.ofSeconds(300);

    private final ExchangedTokens tokens = new ExchangedTokens(TokenExchangeTest.SETTINGS, subject -> {
        exchanged.add(subject.value());
        return new ExchangedToken("for-" + subject.value() + "-" + exchanged.size(), lifetime, "downstream:read");
    }, clock, outcomes::add);

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Test
    void oneExchangePerUserUntilShortlyBeforeExpiry() {
        ExchangedToken first = tokens.get("alice", new SubjectToken("a1"));
        // Another MCP token of the same user (another client, or refreshed): the same exchanged token.
        assertSame(first, tokens.get("alice", new SubjectToken("a2")));
        advance(Duration.ofSeconds(269));
        assertSame(first, tokens.get("alice", new SubjectToken("a3")));
        advance(Duration.ofSeconds(1));
        // 300 s lifetime less the 30 s margin: exchanged again, with the current MCP token.
        assertEquals("for-a4-2", tokens.get("alice", new SubjectToken("a4")).value());
        assertEquals(List.of("a1", "a4"), exchanged);
        assertEquals(List.of("exchanged", "cached", "cached", "exchanged"), outcomes);
    }

    @Test
    void usersDoNotShareTokens() {
        ExchangedToken alice = tokens.get("alice", new SubjectToken("a"));
        ExchangedToken bob = tokens.get("bob", new SubjectToken("b"));
        assertEquals("for-a-1", alice.value());
        assertEquals("for-b-2", bob.value());
        assertSame(alice, tokens.get("alice", new SubjectToken("a")));
    }

    @ParameterizedTest(name = "lifetime {0} s, margin 30 s: kept {1} s")
    @CsvSource({"300, 270", "31, 1", "30, 0", "10, 0", "0, 0"})
    void keptForTheLifetimeLessTheMargin(long lifetimeSeconds, long keptSeconds) {
        assertEquals(Duration.ofSeconds(keptSeconds), ExchangedTokens.keptFor(
                new ExchangedToken("t", Duration.ofSeconds(lifetimeSeconds), ""), Duration.ofSeconds(30)));
    }

    @Test
    void aTokenShorterThanTheMarginIsNotKept() {
        lifetime = Duration.ofSeconds(20);
        tokens.get("alice", new SubjectToken("a1"));
        tokens.get("alice", new SubjectToken("a2"));
        assertEquals(List.of("a1", "a2"), exchanged);
    }

    @Test
    void aFailedExchangeIsNotKept() {
        ExchangedTokens failing = new ExchangedTokens(TokenExchangeTest.SETTINGS, subject -> {
            exchanged.add(subject.value());
            throw new ExchangeFailure(ExchangeFailure.Kind.REFUSED, "invalid_scope", "refused", null);
        }, clock, outcomes::add);
        assertThrows(ExchangeFailure.class, () -> failing.get("alice", new SubjectToken("a1")));
        assertThrows(ExchangeFailure.class, () -> failing.get("alice", new SubjectToken("a2")));
        assertEquals(List.of("a1", "a2"), exchanged, "each call asks Keycloak again");
    }

    @Test
    void aTokenTheApiRefusedIsForgottenOnlyIfStillTheCachedOne() {
        ExchangedToken first = tokens.get("alice", new SubjectToken("a1"));
        tokens.forget("alice", first);
        ExchangedToken second = tokens.get("alice", new SubjectToken("a2"));
        assertEquals("for-a2-2", second.value());
        // A caller still holding the first token does not drop the second.
        tokens.forget("alice", first);
        assertSame(second, tokens.get("alice", new SubjectToken("a3")));
    }
}

package dev.keycloakmcp.sample.onbehalf;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Exchanged tokens, one per user and scope, kept until shortly before they expire so that each tool call does not
 * cost an exchange at Keycloak. Concurrent calls of one user wait for one exchange (single flight); a failed exchange
 * is not kept. Bounded in size.
 */
public final class ExchangedTokens {

    /** Whose token, for what: the user (the MCP token's {@code sub}) and the scope asked for. */
    record Key(String subject, String scope) {
    }

    private final Cache<Key, ExchangedToken> tokens;
    private final Function<SubjectToken, ExchangedToken> exchange;
    private final String scope;
    private final Consumer<String> outcomes;

    /**
     * @param exchange asks Keycloak for a new token ({@link TokenExchange#exchange}); throws {@link ExchangeFailure}
     * @param ticker   the cache's clock (a fake one in tests)
     * @param outcomes told {@code exchanged} or {@code cached} for each token handed out
     */
    public ExchangedTokens(OnBehalfOfSettings settings, Function<SubjectToken, ExchangedToken> exchange, Ticker ticker,
            Consumer<String> outcomes) {
        this.exchange = exchange;
        this.scope = settings.scope();
        this.outcomes = outcomes;
        this.tokens = Caffeine.newBuilder()
                .maximumSize(settings.cacheSize())
                .ticker(ticker)
                .executor(Runnable::run)
                .expireAfter(new UntilShortlyBeforeExpiry(settings.expiryMargin()))
                .build();
    }

    /** The cached token of {@code subject}, or a new one exchanged for {@code token} (the subject's current MCP token). */
    public ExchangedToken get(String subject, SubjectToken token) {
        AtomicBoolean exchanged = new AtomicBoolean();
        ExchangedToken result = tokens.get(new Key(subject, scope), key -> {
            exchanged.set(true);
            return exchange.apply(token);
        });
        outcomes.accept(exchanged.get() ? "exchanged" : "cached");
        return result;
    }

    /** Drops the subject's token (the downstream API refused it: revoked, or the user's session ended). */
    public void forget(String subject, ExchangedToken stale) {
        tokens.asMap().remove(new Key(subject, scope), stale);
    }

    /** How long a token is kept: its lifetime less the margin, so that it is never sent about to expire. */
    static Duration keptFor(ExchangedToken token, Duration margin) {
        Duration kept = token.lifetime().minus(margin);
        return kept.isNegative() ? Duration.ZERO : kept;
    }

    private static final class UntilShortlyBeforeExpiry implements Expiry<Key, ExchangedToken> {

        private final Duration margin;

        UntilShortlyBeforeExpiry(Duration margin) {
            this.margin = margin;
        }

        @Override
        public long expireAfterCreate(Key key, ExchangedToken token, long currentTime) {
            return keptFor(token, margin).toNanos();
        }

        @Override
        public long expireAfterUpdate(Key key, ExchangedToken token, long currentTime, long currentDuration) {
            return keptFor(token, margin).toNanos();
        }

        @Override
        public long expireAfterRead(Key key, ExchangedToken token, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}

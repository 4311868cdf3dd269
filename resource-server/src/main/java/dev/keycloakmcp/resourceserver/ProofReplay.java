package dev.keycloakmcp.resourceserver;

import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

/**
 * Remembers the DPoP proofs this server has accepted, so that a proof is used once (RFC 9449 §11.1). The key already
 * names the proof's key and {@code jti} (hashed); {@code expiry} is when the proof would be refused as stale anyway,
 * so the entry is not needed after it.
 * <p>
 * The {@link #inProcess(long) default} is per process. A server run as several nodes behind a load balancer must give
 * every node the same store, or a proof captured on its way to one node can be replayed once against each other node
 * within the proof window: implement this interface over the shared store with an atomic "set if absent, with a time
 * to live" (Redis {@code SET key 1 NX PXAT expiry}, Infinispan {@code putIfAbsent(key, v, lifespan)}, a database
 * insert on a unique key).
 */
@FunctionalInterface
public interface ProofReplay {

    /** Most proofs the default store remembers; past it the oldest are forgotten early (see {@link #inProcess}). */
    long DEFAULT_MAX_ENTRIES = 100_000;

    /**
     * Whether this is the first use of {@code key} before {@code expiry}: exactly one of concurrent calls with the same
     * key may get {@code true}. Must be quick and thread-safe: it runs on request threads.
     */
    boolean firstUse(String key, Instant expiry);

    /**
     * Proofs remembered in this process, at most {@code maxEntries} of them. A server that accepts more distinct proofs
     * within one proof window than that forgets some early, so size it above the request rate times the window.
     */
    static ProofReplay inProcess(long maxEntries) {
        Cache<String, Instant> seen = Caffeine.newBuilder().maximumSize(maxEntries).expireAfter(new Expiry<String, Instant>() {
            @Override
            public long expireAfterCreate(String key, Instant expiry, long currentTime) {
                Duration left = Duration.between(Instant.now(), expiry);
                return left.isNegative() ? 0 : left.toNanos();
            }

            @Override
            public long expireAfterUpdate(String key, Instant expiry, long currentTime, long currentDuration) {
                return currentDuration;
            }

            @Override
            public long expireAfterRead(String key, Instant expiry, long currentTime, long currentDuration) {
                return currentDuration;
            }
        }).build();
        // putIfAbsent on the cache's map is atomic: of two requests with the same proof, one wins.
        return (key, expiry) -> seen.asMap().putIfAbsent(key, expiry) == null;
    }
}

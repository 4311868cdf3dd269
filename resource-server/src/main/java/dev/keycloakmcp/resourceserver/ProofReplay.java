package dev.keycloakmcp.resourceserver;

import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

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

    /**
     * Most proofs the default store remembers at once (about 150 MB at the very most): above the request rate times the
     * proof window of a busy server (4,000 calls/s for 75 s is 300,000).
     */
    long DEFAULT_MAX_ENTRIES = 1_000_000;

    /**
     * Whether this is the first use of {@code key} before {@code expiry}: exactly one of concurrent calls with the same
     * key may get {@code true}. Must be quick and thread-safe: it runs on request threads.
     */
    boolean firstUse(String key, Instant expiry);

    /**
     * Proofs remembered in this process until they would be stale anyway, at most {@code maxEntries} of them. A full
     * store refuses new proofs (they are answered as replays) rather than forget one early: forgetting would let a proof
     * captured in the window be used again, and whoever holds a token could fill the store on purpose.
     */
    static ProofReplay inProcess(long maxEntries) {
        // Wall-clock nanoseconds, as the expiry is a wall-clock instant (the proof's iat plus the window).
        return inProcess(maxEntries, () -> {
            Instant now = Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        });
    }

    /** {@link #inProcess(long)} on a clock that reads wall-clock time in nanoseconds since the epoch (tests). */
    static ProofReplay inProcess(long maxEntries, Ticker ticker) {
        Cache<String, Instant> seen = Caffeine.newBuilder().ticker(ticker).expireAfter(new Expiry<String, Instant>() {
            @Override
            public long expireAfterCreate(String key, Instant expiry, long currentTime) {
                return Math.max(0, expiry.getEpochSecond() * 1_000_000_000L + expiry.getNano() - currentTime);
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
        return (key, expiry) -> {
            if (seen.estimatedSize() >= maxEntries) {
                seen.cleanUp();
                if (seen.estimatedSize() >= maxEntries) {
                    return false;
                }
            }
            // putIfAbsent on the cache's map is atomic: of two requests with the same proof, one wins.
            return seen.asMap().putIfAbsent(key, expiry) == null;
        };
    }
}

package dev.keycloakmcp.resourceserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import dev.keycloakmcp.resourceserver.DpopProofCheck.Verdict;

class DpopProofCheckTest {

    private static final String URL = StubAuthorizationServer.RESOURCE;
    private static final String TOKEN = "access-token-value";
    private static final String JKT = DpopProofs.thumbprint(DpopProofs.CLIENT_KEY);

    private static DpopProofCheck check() {
        return new DpopProofCheck(StubAuthorizationServer.defaultSettings(), DpopSettings.defaults());
    }

    private static String hs256Proof() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(DpopProofs.CLIENT_KEY.toPublicJWK()).build(), claims().build());
        jwt.sign(new MACSigner("a-secret-of-at-least-thirty-two-bytes!!"));
        return jwt.serialize();
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().jwtID("j").claim("htm", "POST").claim("htu", URL).issueTime(new Date())
                .claim("ath", DpopProofCheck.tokenHash(TOKEN));
    }

    private static String unsigned() {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"dpop+jwt\"}".getBytes());
        return header + "." + new PlainJWT(claims().build()).serialize().split("\\.")[1] + ".";
    }

    static Stream<Arguments> proofs() throws Exception {
        ECKey other = StubAuthorizationServer.ecKey("other");
        Instant now = Instant.now();
        return Stream.of(
                Arguments.of("valid", List.of(DpopProofs.proof("POST", URL, TOKEN)), Verdict.PASSED),
                Arguments.of("htu with default port, query and fragment", List.of(DpopProofs.proof("POST",
                        "HTTP://LOCALHOST:3000/mcp?x=1#f", TOKEN)), Verdict.PASSED),
                Arguments.of("no proof", List.of(), Verdict.MISSING),
                Arguments.of("two DPoP headers", List.of(DpopProofs.proof("POST", URL, TOKEN), DpopProofs.proof("POST", URL, TOKEN)), Verdict.MULTIPLE),
                Arguments.of("not a JWT", List.of("not.a.jwt"), Verdict.MALFORMED),
                Arguments.of("oversized", List.of("a".repeat(DpopProofCheck.MAX_LENGTH + 1)), Verdict.MALFORMED),
                Arguments.of("typ JWT", List.of(DpopProofs.proof("POST", URL, TOKEN, h -> h.type(JOSEObjectType.JWT), c -> c)), Verdict.WRONG_TYPE),
                Arguments.of("no typ", List.of(DpopProofs.proof("POST", URL, TOKEN, h -> h.type(null), c -> c)), Verdict.WRONG_TYPE),
                Arguments.of("alg none", List.of(unsigned()), Verdict.MALFORMED),
                Arguments.of("HS256", List.of(hs256Proof()), Verdict.ALGORITHM_NOT_ALLOWED),
                Arguments.of("no jwk", List.of(DpopProofs.proof("POST", URL, TOKEN, h -> h.jwk(null), c -> c)), Verdict.NO_PUBLIC_KEY),
                Arguments.of("private key in jwk", List.of(DpopProofs.proofWithPrivateKey("POST", URL, TOKEN)),
                        Verdict.PRIVATE_KEY),
                Arguments.of("RSA key with ES256", List.of(DpopProofs.proof("POST", URL, TOKEN,
                        h -> h.jwk(StubAuthorizationServer.REALM_KEY.toPublicJWK()), c -> c)), Verdict.NO_PUBLIC_KEY),
                Arguments.of("signed by another key", List.of(DpopProofs.proof(other, "POST", URL, TOKEN,
                        h -> h.jwk(DpopProofs.CLIENT_KEY.toPublicJWK()), c -> c)), Verdict.BAD_SIGNATURE),
                Arguments.of("no jti", List.of(DpopProofs.proof("POST", URL, TOKEN, h -> h, c -> c.jwtID(null))), Verdict.MISSING_CLAIM),
                Arguments.of("no ath", List.of(DpopProofs.proof("POST", URL, TOKEN, h -> h, c -> c.claim("ath", null))), Verdict.MISSING_CLAIM),
                Arguments.of("no iat", List.of(DpopProofs.proof("POST", URL, TOKEN, h -> h, c -> c.issueTime(null))), Verdict.MISSING_CLAIM),
                Arguments.of("htm number", List.of(DpopProofs.proof("POST", URL, TOKEN, h -> h, c -> c.claim("htm", 1))), Verdict.MALFORMED),
                Arguments.of("wrong htm", List.of(DpopProofs.proof("GET", URL, TOKEN)), Verdict.WRONG_METHOD),
                Arguments.of("wrong htu", List.of(DpopProofs.proof("POST", "http://localhost:3000/other", TOKEN)), Verdict.WRONG_URL),
                Arguments.of("wrong htu host", List.of(DpopProofs.proof("POST", "http://evil.example/mcp", TOKEN)), Verdict.WRONG_URL),
                Arguments.of("htu not a URL", List.of(DpopProofs.proof("POST", "::", TOKEN)), Verdict.WRONG_URL),
                Arguments.of("stale iat", List.of(DpopProofs.proof("POST", URL, TOKEN, h -> h,
                        c -> c.issueTime(Date.from(now.minusSeconds(76))))), Verdict.STALE),
                Arguments.of("iat in the future", List.of(DpopProofs.proof("POST", URL, TOKEN, h -> h,
                        c -> c.issueTime(Date.from(now.plusSeconds(30))))), Verdict.FUTURE),
                Arguments.of("wrong ath", List.of(DpopProofs.proof("POST", URL, "another-token")), Verdict.WRONG_TOKEN_HASH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("proofs")
    void eachHostileProofIsRefusedForItsReason(String name, List<String> headers, Verdict expected) {
        assertEquals(expected, check().check(headers, "POST", TOKEN).verdict());
    }

    @Test
    void aProofIsSpentOnlyWhenItsKeyIsTheTokensAndOnlyOnce() {
        DpopProofCheck check = check();
        String proof = DpopProofs.proof("POST", URL, TOKEN);
        assertEquals(Verdict.KEY_MISMATCH, check.confirm(check.check(List.of(proof), "POST", TOKEN), "another-thumbprint"));
        assertEquals(Verdict.KEY_MISMATCH, check.confirm(check.check(List.of(proof), "POST", TOKEN), null));
        assertEquals(Verdict.PASSED, check.confirm(check.check(List.of(proof), "POST", TOKEN), JKT));
        assertEquals(Verdict.REPLAYED, check.confirm(check.check(List.of(proof), "POST", TOKEN), JKT));
    }

    @Test
    void ofConcurrentUsesOfOneProofExactlyOnePasses() throws Exception {
        DpopProofCheck check = check();
        String proof = DpopProofs.proof("POST", URL, TOKEN);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Callable<Verdict>> uses = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                uses.add(() -> check.confirm(check.check(List.of(proof), "POST", TOKEN), JKT));
            }
            long passed = 0;
            for (Future<Verdict> use : pool.invokeAll(uses)) {
                Verdict verdict = use.get();
                assertTrue(verdict == Verdict.PASSED || verdict == Verdict.REPLAYED, verdict.toString());
                passed += verdict == Verdict.PASSED ? 1 : 0;
            }
            assertEquals(1, passed);
        } finally {
            pool.shutdownNow();
        }
    }

    /** On a clock that says "now" in epoch nanoseconds, as the store computes expiry from the proof's wall-clock time. */
    @Test
    void theReplayStoreForgetsAProofOnlyAfterItWouldBeStale() {
        AtomicLong nanos = new AtomicLong(Instant.parse("2026-12-01T12:00:00Z").toEpochMilli() * 1_000_000);
        Instant now = Instant.ofEpochMilli(nanos.get() / 1_000_000);
        ProofReplay replay = ProofReplay.inProcess(10, nanos::get);
        assertTrue(replay.firstUse("k", now.plusSeconds(60)));
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        assertFalse(replay.firstUse("k", now.plusSeconds(60)), "remembered while it could still pass as fresh");
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertTrue(replay.firstUse("k", now.plusSeconds(60)), "forgotten once it would be refused as stale anyway");
    }

    /** A full store refuses new proofs instead of forgetting remembered ones early (which would let them be replayed). */
    @Test
    void aFullReplayStoreRefusesRatherThanForgets() {
        AtomicLong nanos = new AtomicLong(Instant.parse("2026-12-01T12:00:00Z").toEpochMilli() * 1_000_000);
        Instant later = Instant.ofEpochMilli(nanos.get() / 1_000_000).plusSeconds(60);
        ProofReplay replay = ProofReplay.inProcess(3, nanos::get);
        for (String key : List.of("a", "b", "c")) {
            assertTrue(replay.firstUse(key, later));
        }
        assertFalse(replay.firstUse("d", later), "full: refused");
        assertFalse(replay.firstUse("a", later), "still remembered");
        nanos.addAndGet(Duration.ofSeconds(61).toNanos());
        assertTrue(replay.firstUse("d", later.plusSeconds(60)), "room again once the others expired");
    }
}

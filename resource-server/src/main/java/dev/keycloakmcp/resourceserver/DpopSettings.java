package dev.keycloakmcp.resourceserver;

import java.time.Duration;
import java.util.Objects;

/**
 * How the server takes DPoP-bound tokens (RFC 9449): {@code Authorization: DPoP <token>} with a {@code DPoP} proof.
 * Bearer tokens keep working unless {@code required}.
 *
 * @param required      refuse Bearer: every request must present a DPoP-bound token with a proof
 * @param proofLifetime how old a proof's {@code iat} may be (plus the clock skew)
 * @param clockSkew     how far in the future a proof's {@code iat} may be, and the slack added to its age
 * @param replay        where used proofs are remembered; per process by default, a shared store for a cluster
 */
public record DpopSettings(boolean required, Duration proofLifetime, Duration clockSkew, ProofReplay replay) {

    public DpopSettings {
        Objects.requireNonNull(replay, "replay");
        if (proofLifetime.isZero() || proofLifetime.isNegative() || clockSkew.isNegative()) {
            throw new IllegalArgumentException("The DPoP proof lifetime must be positive and the clock skew not negative");
        }
    }

    /** DPoP accepted next to Bearer, proofs valid 60 s plus 15 s skew, used proofs remembered in this process. */
    public static DpopSettings defaults() {
        return new DpopSettings(false, Duration.ofSeconds(60), Duration.ofSeconds(15), ProofReplay.inProcess(ProofReplay.DEFAULT_MAX_ENTRIES));
    }

    /** The same, with Bearer refused or not. */
    public DpopSettings withRequired(boolean required) {
        return new DpopSettings(required, proofLifetime, clockSkew, replay);
    }
}

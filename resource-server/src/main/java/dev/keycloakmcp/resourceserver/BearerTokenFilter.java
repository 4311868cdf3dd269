package dev.keycloakmcp.resourceserver;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.modelcontextprotocol.json.McpJsonMapper;





/**
 * Guards the MCP endpoint. In order: a token outside the Authorization header gets 400; no token, or one that is
 * not valid for this server, 401 with the challenge that starts the MCP authorization flow; Keycloak unreachable,
 * 503 (fail closed); a body the filter cannot read exactly as the SDK will, 400/413/415; a valid token without every
 * scope the request needs (base scope, plus the scopes of the tools it calls), 403 {@code insufficient_scope} naming
 * them all, so that the client re-authorizes with them (step-up); a session opened by another user or client, 404.
 * A token may come with the {@code DPoP} scheme and a proof (RFC 9449, {@link DpopProofCheck}): a bad proof gets 401
 * {@code invalid_dpop_proof} before the token costs an introspection; a DPoP-bound token ({@code cnf.jkt}) is only
 * taken with a proof made with its key, never as a Bearer token, and a DPoP request must present a bound one. With
 * {@link DpopSettings#required()} the Bearer scheme is refused.
 * Tokens are never logged and never passed on: tools see only the {@link AccessGrant}. Challenges and 503s are counted
 * reported to the verifier's {@link AuthorizationEvents}.
 */
public final class BearerTokenFilter extends HttpFilter {

    /** Largest MCP request body read; the MCP servlet is given the same limit. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    static final String SESSION_HEADER = "Mcp-Session-Id";

    private static final Logger LOG = LoggerFactory.getLogger(BearerTokenFilter.class);

    private final McpAuthSettings config;
    private final TokenVerifier verifier;
    private final RequiredScopes requiredScopes;
    private final McpJsonMapper json;
    private final SessionOwners sessions = new SessionOwners();
    private final AuthorizationEvents events;
    private final DpopProofCheck proofs;

    public BearerTokenFilter(McpAuthSettings config, TokenVerifier verifier, RequiredScopes requiredScopes, McpJsonMapper json) {
        this.config = config;
        this.proofs = new DpopProofCheck(config, config.dpop());
        this.verifier = verifier;
        this.requiredScopes = requiredScopes;
        this.json = json;
        this.events = verifier.events();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if ("OPTIONS".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        BearerToken token = BearerToken.of(Collections.list(request.getHeaders("Authorization")), request.getQueryString(),
                request.getContentType());
        switch (token.presentation()) {
            case NOT_IN_HEADER -> {
                refuse(response, HttpServletResponse.SC_BAD_REQUEST, BearerChallenge.invalidRequest(config), "invalid_request");
                return;
            }
            case MISSING -> {
                refuse(response, HttpServletResponse.SC_UNAUTHORIZED, BearerChallenge.missing(config), null);
                return;
            }
            case MALFORMED -> {
                refuse(response, HttpServletResponse.SC_UNAUTHORIZED, token.dpop()
                        ? BearerChallenge.dpopInvalidToken(config, "The access token is malformed")
                        : BearerChallenge.unauthorized(config, true), "invalid_token");
                return;
            }
            case PRESENTED -> {
                // verified below
            }
        }
        if (!token.dpop() && config.dpop().required()) {
            events.dpop("bearer_refused");
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED,
                    BearerChallenge.dpopInvalidToken(config, "This MCP server takes DPoP-bound access tokens only"), "invalid_token");
            return;
        }
        DpopProofCheck.Proof proof = null;
        if (token.dpop()) {
            // The proof first: a bad one costs no introspection.
            proof = proofs.check(Collections.list(request.getHeaders("DPoP")), request.getMethod(), token.value());
            if (proof.verdict() != DpopProofCheck.Verdict.PASSED) {
                refuseProof(response, proof.verdict());
                return;
            }
        }

        Optional<AccessGrant> verified;
        try {
            verified = verifier.verify(token.value());
        } catch (AuthorizationServerUnavailable e) {
            LOG.warn("Refusing an MCP request with 503: {}", e.getMessage());
            events.unavailable();
            response.setHeader("Retry-After", "5");
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"temporarily_unavailable\",\"error_description\":"
                    + "\"The authorization server cannot be reached to verify the access token\"}");
            return;
        }
        if (verified.isEmpty()) {
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, token.dpop()
                    ? BearerChallenge.dpopInvalidToken(config, "The access token is missing, expired, revoked or not issued for this MCP server")
                    : BearerChallenge.unauthorized(config, true), "invalid_token");
            return;
        }
        AccessGrant grant = verified.get();
        if (token.dpop()) {
            if (!grant.dpopBound()) {
                // RFC 9449 §7.1: the DPoP scheme is for DPoP-bound tokens; a Bearer token gains nothing from a proof.
                events.dpop("unbound_token");
                refuse(response, HttpServletResponse.SC_UNAUTHORIZED,
                        BearerChallenge.dpopInvalidToken(config, "The access token is not DPoP-bound"), "invalid_token");
                return;
            }
            DpopProofCheck.Verdict confirmed = proofs.confirm(proof, grant.boundKey());
            if (confirmed != DpopProofCheck.Verdict.PASSED) {
                refuseProof(response, confirmed);
                return;
            }
            events.dpop("accepted");
        } else if (grant.dpopBound()) {
            // A bound token without its proof is what a thief would send: refused like Keycloak's own endpoints do.
            events.dpop("bound_token_as_bearer");
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, List.of(BearerChallenge.unauthorized(config, true),
                    BearerChallenge.dpopInvalidToken(config, "The access token is DPoP-bound: send it with the DPoP scheme and a proof")),
                    "invalid_token");
            return;
        }

        HttpServletRequest forwarded = request;
        Object message = null;
        Set<String> needed = requiredScopes.base();
        if ("POST".equals(request.getMethod())) {
            McpRequestBody body = McpRequestBody.read(request, MAX_BODY_BYTES, json);
            if (body.refusal() != null) {
                body.refuse(response);
                return;
            }
            message = body.message();
            needed = requiredScopes.of(message);
            forwarded = body.replayTo(request);
        }
        if (!RequiredScopes.missing(needed, grant.scopes()).isEmpty()) {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, token.dpop() ? BearerChallenge.dpopInsufficientScope(config, needed)
                    : BearerChallenge.insufficientScope(config, needed), "insufficient_scope");
            return;
        }

        String session = request.getHeader(SESSION_HEADER);
        // A 2026-07-28 client's request is stateless and its session id means nothing (the spec's rule), so an unknown
        // one is not refused. A session this guard saw opened stays its owner's whatever the request claims to be:
        // the SDK's session transport does not read the version header, and would serve the session.
        if (session != null && (!ProtocolEra.isStateless(request, message) || sessions.known(session)) && !sessions.mayUse(session, grant)) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            response.setContentType("application/json");
            response.getWriter().write("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,\"message\":\"Session not found\"}}");
            return;
        }
        forwarded.setAttribute(AccessGrant.CONTEXT_KEY, grant);
        chain.doFilter(forwarded, session != null ? response : new SessionOpening(response, grant));
    }

    /** Records who opened a session when the MCP SDK answers {@code initialize} with its id. */
    private final class SessionOpening extends HttpServletResponseWrapper {
        private final AccessGrant grant;

        SessionOpening(HttpServletResponse response, AccessGrant grant) {
            super(response);
            this.grant = grant;
        }

        @Override
        public void setHeader(String name, String value) {
            opened(name, value);
            super.setHeader(name, value);
        }

        @Override
        public void addHeader(String name, String value) {
            opened(name, value);
            super.addHeader(name, value);
        }

        private void opened(String name, String value) {
            if (SESSION_HEADER.equalsIgnoreCase(name) && value != null) {
                sessions.opened(value, grant);
            }
        }
    }

    private void refuseProof(HttpServletResponse response, DpopProofCheck.Verdict verdict) throws IOException {
        events.dpop(verdict.name().toLowerCase(Locale.ROOT));
        refuse(response, HttpServletResponse.SC_UNAUTHORIZED, BearerChallenge.invalidProof(config, describe(verdict)), "invalid_dpop_proof");
    }

    private static String describe(DpopProofCheck.Verdict verdict) {
        return switch (verdict) {
            case MISSING -> "A DPoP proof is needed with the DPoP scheme";
            case MULTIPLE -> "Send one DPoP header";
            case WRONG_TYPE -> "The DPoP proof is not of type dpop+jwt";
            case ALGORITHM_NOT_ALLOWED -> "The DPoP proof is not signed with an allowed asymmetric algorithm";
            case NO_PUBLIC_KEY -> "The DPoP proof has no usable public jwk";
            case PRIVATE_KEY -> "The DPoP proof's jwk holds private key material";
            case BAD_SIGNATURE -> "The DPoP proof's signature does not verify";
            case MISSING_CLAIM -> "The DPoP proof lacks jti, htm, htu, iat or ath";
            case WRONG_METHOD -> "The DPoP proof's htm is not this request's method";
            case WRONG_URL -> "The DPoP proof's htu is not this MCP server's URL";
            case STALE -> "The DPoP proof is too old";
            case FUTURE -> "The DPoP proof is issued in the future";
            case WRONG_TOKEN_HASH -> "The DPoP proof's ath is not the access token's hash";
            case KEY_MISMATCH -> "The DPoP proof is not signed with the key the access token is bound to";
            case REPLAYED -> "The DPoP proof was already used";
            default -> "The DPoP proof is malformed";
        };
    }

    private void refuse(HttpServletResponse response, int status, String challenge, String error) throws IOException {
        refuse(response, status, List.of(challenge), error);
    }

    /**
     * {@code error} is null when no token was presented (RFC 6750 §3.1: then the response has no error code). Several
     * challenges go in separate header fields, the first the one older clients read.
     */
    private void refuse(HttpServletResponse response, int status, List<String> challenges, String error) throws IOException {
        events.challenge(status, error);
        response.setStatus(status);
        response.setHeader("WWW-Authenticate", challenges.get(0));
        for (String challenge : challenges.subList(1, challenges.size())) {
            response.addHeader("WWW-Authenticate", challenge);
        }
        response.setContentType("application/json");
        response.getWriter().write(error == null ? "{\"error_description\":\"This MCP server needs an access token\"}"
                : "{\"error\":\"" + error + "\"}");
    }
}

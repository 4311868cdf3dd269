package dev.keycloakmcp.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An enterprise identity provider in the test JVM, the one an MCP client's user signs in to: it publishes its JWKS
 * (an RSA and an EC P-256 key), mints ID tokens for its users and Identity Assertion JWT Authorization Grants (ID-JAG,
 * draft-ietf-oauth-identity-assertion-authz-grant) with every header member and claim settable, so that tests can send
 * Keycloak hostile ones; and it answers the RFC 8693 token exchange an MCP client makes to get an ID-JAG for an ID token.
 * Keycloak 26.7.3 cannot play this part: its standard token exchange issues no {@code id-jag} token type.
 */
public final class LocalEnterpriseIdp implements AutoCloseable {

    public static final String ID_JAG_TYPE = "oauth-id-jag+jwt";
    public static final String TOKEN_TYPE_ID_JAG = "urn:ietf:params:oauth:token-type:id-jag";
    public static final String TOKEN_TYPE_ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String RSA_KID = "idp-rsa";
    static final String EC_KID = "idp-ec";

    /** The keys an assertion can be signed with: the two the JWKS publishes, and one it does not. */
    public enum Key {
        RSA, EC,
        /** An RSA key of someone else, which by default claims the published RSA key's kid. */
        OUTSIDER
    }

    /** A client of this IdP allowed to exchange ID tokens, and its client id at the MCP server's authorization server. */
    private record IdpClient(String secret, String clientIdThere) {
    }

    private final HttpServer server;
    private final String issuer;
    private final RSAKey rsa;
    private final ECKey ec;
    private final RSAKey outsider;
    private final Map<String, IdpClient> clients = new ConcurrentHashMap<>();

    private LocalEnterpriseIdp(HttpServer server) throws JOSEException {
        this.server = server;
        this.issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/idp";
        this.rsa = new RSAKeyGenerator(2048).keyID(RSA_KID).algorithm(JWSAlgorithm.RS256).generate();
        this.ec = new ECKeyGenerator(Curve.P_256).keyID(EC_KID).algorithm(JWSAlgorithm.ES256).generate();
        this.outsider = new RSAKeyGenerator(2048).keyID(RSA_KID).algorithm(JWSAlgorithm.RS256).generate();
    }

    /** Starts it on a free port of 127.0.0.1. */
    public static LocalEnterpriseIdp start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            LocalEnterpriseIdp idp = new LocalEnterpriseIdp(server);
            server.createContext("/idp/jwks", idp::jwks);
            server.createContext("/idp/token", idp::token);
            server.createContext("/idp/.well-known/oauth-authorization-server", idp::metadata);
            server.start();
            return idp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public String issuer() {
        return issuer;
    }

    /** The published RSA key, X.509 SubjectPublicKeyInfo in base64: what an admin would type into an identity provider. */
    public String rsaPublicKeyBase64() {
        try {
            return java.util.Base64.getEncoder().encodeToString(rsa.toRSAPublicKey().getEncoded());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public String jwksUrl() {
        return issuer + "/jwks";
    }

    public String tokenEndpoint() {
        return issuer + "/token";
    }

    /** Lets {@code clientId} exchange ID tokens for ID-JAGs naming {@code clientIdThere} as the client. */
    public void allowClient(String clientId, String secret, String clientIdThere) {
        clients.put(clientId, new IdpClient(secret, clientIdThere));
    }

    /** An ID token of this IdP for its user {@code subject}, issued to {@code clientId}, valid 5 minutes. */
    public String idToken(String subject, String email, String clientId) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("aud", clientId);
        claims.put("email", email);
        claims.put("email_verified", true);
        claims.put("iat", now);
        claims.put("exp", now + 300);
        return new Assertion(this).type("JWT").claims(claims).serialize();
    }

    /**
     * A well-formed ID-JAG, RS256 with the published key, valid 5 minutes: for user {@code subject}, to the authorization
     * server {@code audience}, for its client {@code clientId} and MCP server {@code resource}, asserting {@code scope}
     * (none if null). Change anything before {@link Assertion#serialize()}.
     */
    public Assertion idJag(String subject, String audience, String clientId, String resource, String scope) {
        long now = Instant.now().getEpochSecond();
        Assertion assertion = new Assertion(this).claim("iss", issuer).claim("sub", subject).claim("aud", audience)
                .claim("client_id", clientId).claim("resource", resource).claim("jti", UUID.randomUUID().toString())
                .claim("iat", now).claim("exp", now + 300);
        return scope == null ? assertion : assertion.claim("scope", scope);
    }

    /** An assertion being made: a JOSE header and claims, then its compact form. */
    public static final class Assertion {

        private final LocalEnterpriseIdp idp;
        private final Map<String, Object> claims = new LinkedHashMap<>();
        private String type = ID_JAG_TYPE;
        private String algorithm = "RS256";
        private Key key = Key.RSA;
        private String kid;
        private boolean kidSet;

        Assertion(LocalEnterpriseIdp idp) {
            this.idp = idp;
        }

        public Assertion claim(String name, Object value) {
            claims.put(name, value);
            return this;
        }

        public Assertion without(String name) {
            claims.remove(name);
            return this;
        }

        Assertion claims(Map<String, Object> all) {
            claims.putAll(all);
            return this;
        }

        public Object claim(String name) {
            return claims.get(name);
        }

        /** The header's {@code typ}; null leaves it out. */
        public Assertion type(String value) {
            type = value;
            return this;
        }

        /**
         * Signs with {@code alg} and {@code key}: RS256/RS384/PS256 with an RSA key, ES256 with the EC key; {@code none}
         * leaves it unsigned, {@code HS256} uses the published RSA public key's encoded bytes as the HMAC secret (the
         * algorithm-confusion attack).
         */
        public Assertion signedWith(String alg, Key signingKey) {
            algorithm = alg;
            key = signingKey;
            return this;
        }

        /** The header's {@code kid}; by default the signing key's own, null leaves it out. */
        public Assertion kid(String value) {
            kid = value;
            kidSet = true;
            return this;
        }

        public String serialize() {
            try {
                JWTClaimsSet claimsSet = JWTClaimsSet.parse(claims);
                JOSEObjectType typ = type == null ? null : new JOSEObjectType(type);
                if ("none".equals(algorithm)) {
                    return new PlainJWT(new PlainHeader.Builder().type(typ).build(), claimsSet).serialize();
                }
                JWSAlgorithm alg = JWSAlgorithm.parse(algorithm);
                JWSHeader.Builder header = new JWSHeader.Builder(alg).type(typ);
                String keyId = kidSet ? kid : signingKey().getKeyID();
                if (keyId != null) {
                    header.keyID(keyId);
                }
                SignedJWT jwt = new SignedJWT(header.build(), claimsSet);
                jwt.sign(signer(alg));
                return jwt.serialize();
            } catch (ParseException | JOSEException e) {
                throw new IllegalStateException("Cannot make the assertion " + claims, e);
            }
        }

        private com.nimbusds.jose.jwk.JWK signingKey() {
            return switch (key) {
                case RSA -> idp.rsa;
                case EC -> idp.ec;
                case OUTSIDER -> idp.outsider;
            };
        }

        private JWSSigner signer(JWSAlgorithm alg) throws JOSEException {
            if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
                RSAPublicKey published = idp.rsa.toRSAPublicKey();
                return new MACSigner(published.getEncoded());
            }
            return switch (key) {
                case RSA -> new RSASSASigner(idp.rsa);
                case EC -> new ECDSASigner(idp.ec);
                case OUTSIDER -> new RSASSASigner(idp.outsider);
            };
        }
    }

    // ---- the HTTP side -------------------------------------------------------------------------------------

    private void jwks(HttpExchange exchange) throws IOException {
        answer(exchange, 200, Json.write(new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toJSONObject(true)));
    }

    private void metadata(HttpExchange exchange) throws IOException {
        answer(exchange, 200, Json.write(Map.of("issuer", issuer, "token_endpoint", tokenEndpoint(), "jwks_uri", jwksUrl(),
                "grant_types_supported", List.of(TOKEN_EXCHANGE), "token_endpoint_auth_methods_supported",
                List.of("client_secret_post", "client_secret_basic"))));
    }

    /** RFC 8693 token exchange: an ID token of this IdP for an ID-JAG, for a client this IdP knows. */
    private void token(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            answer(exchange, 405, error("invalid_request", "POST only"));
            return;
        }
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String[] basic = basic(exchange.getRequestHeaders().getFirst("Authorization"));
        String clientId = basic != null ? basic[0] : form.get("client_id");
        String secret = basic != null ? basic[1] : form.get("client_secret");
        IdpClient client = clientId == null ? null : clients.get(clientId);
        if (client == null || !client.secret().equals(secret)) {
            answer(exchange, 401, error("invalid_client", "unknown client or wrong secret"));
            return;
        }
        if (!TOKEN_EXCHANGE.equals(form.get("grant_type"))) {
            answer(exchange, 400, error("unsupported_grant_type", "token exchange only"));
            return;
        }
        if (!TOKEN_TYPE_ID_JAG.equals(form.get("requested_token_type")) || !TOKEN_TYPE_ID_TOKEN.equals(form.get("subject_token_type"))) {
            answer(exchange, 400, error("invalid_request", "an ID token for an ID-JAG only"));
            return;
        }
        String audience = form.get("audience");
        String resource = form.get("resource");
        if (audience == null || resource == null) {
            answer(exchange, 400, error("invalid_request", "audience and resource are required"));
            return;
        }
        JWTClaimsSet idToken = verifiedIdToken(form.get("subject_token"), clientId);
        if (idToken == null) {
            answer(exchange, 400, error("invalid_grant", "not an ID token of this IdP for this client"));
            return;
        }
        String scope = form.get("scope");
        Assertion jag = idJag(idToken.getSubject(), audience, client.clientIdThere(), resource, scope);
        Object email = idToken.getClaim("email");
        if (email != null) {
            jag.claim("email", email).claim("email_verified", idToken.getClaim("email_verified"));
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("issued_token_type", TOKEN_TYPE_ID_JAG);
        response.put("access_token", jag.serialize());
        response.put("token_type", "N_A");
        response.put("expires_in", 300);
        if (scope != null) {
            response.put("scope", scope);
        }
        answer(exchange, 200, Json.write(response));
    }

    private JWTClaimsSet verifiedIdToken(String token, String clientId) {
        if (token == null) {
            return null;
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            boolean valid = RSA_KID.equals(jwt.getHeader().getKeyID()) ? jwt.verify(new RSASSAVerifier(rsa.toPublicJWK()))
                    : EC_KID.equals(jwt.getHeader().getKeyID()) && jwt.verify(new ECDSAVerifier(ec.toPublicJWK()));
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            boolean current = claims.getExpirationTime() != null && claims.getExpirationTime().toInstant().isAfter(Instant.now());
            return valid && current && issuer.equals(claims.getIssuer()) && claims.getAudience().contains(clientId) ? claims : null;
        } catch (ParseException | JOSEException e) {
            return null;
        }
    }

    private static String[] basic(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
    }

    private static Map<String, String> form(String body) {
        return Arrays.stream(body.split("&")).filter(pair -> !pair.isEmpty()).map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(pair -> URLDecoder.decode(pair[0], StandardCharsets.UTF_8),
                        pair -> pair.length > 1 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : "", (first, second) -> first));
    }

    private static String error(String code, String description) {
        return Json.write(Map.of("error", code, "error_description", description));
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

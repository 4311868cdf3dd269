package dev.keycloakmcp.quarkus;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.oidc.OIDCException;
import io.quarkus.oidc.TokenIntrospection;
import io.quarkus.security.AuthenticationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The hand-made piece between quarkus-oidc and quarkus-mcp-server (whose own OIDC integration,
 * quarkus-mcp-server-oidc, is not on Maven Central): three Vert.x handlers on the MCP paths.
 * <ol>
 * <li>Scopes, after Quarkus has authenticated the request (order -50, past authentication -200 and authorization
 * -100): every MCP request needs {@code mcp:tools}; a JSON-RPC {@code tools/call} of {@code add_note} (batches too)
 * also needs {@code mcp:tools:write}. Lacking one: {@code 403 Bearer error="insufficient_scope", scope="<all needed>"},
 * which MCP clients answer by re-authorizing with that scope (step-up). The body is read here, before the MCP handler.</li>
 * <li>The 401 challenge: quarkus-oidc sends {@code Bearer resource_metadata="…"} only. Rewritten just before the headers
 * go out to {@code Bearer [error="invalid_token", ]resource_metadata="<metadata of the canonical URL>", scope="mcp:tools"}
 * (the error only when a bearer token was sent, as RFC 6750 says).</li>
 * <li>Fail closed with a 503: a request whose token could not be checked because Keycloak could not answer
 * (unreachable, timeout, refusing this server's credentials, OIDC not initialised because the issuer was down at start)
 * gets {@code 503 {"error":"temporarily_unavailable"}} + {@code Retry-After}, not quarkus-oidc's 401 (which would send
 * the client back to sign-in) or Quarkus' 500.</li>
 * </ol>
 */
@ApplicationScoped
public class McpScopes {

    static final String WRITE_TOOL = "add_note";
    /** The MCP paths of quarkus-mcp-server-http: Streamable HTTP at /mcp, the older SSE transport below it. */
    private static final String MCP_PATHS = "/mcp(/.*)?";
    private static final String BEARER = "bearer ";
    private static final String WWW_AUTHENTICATE = "WWW-Authenticate";

    @ConfigProperty(name = "mcp.resource")
    String resource;
    @ConfigProperty(name = "mcp.required-scope", defaultValue = "mcp:tools")
    String requiredScope;
    @ConfigProperty(name = "mcp.write-scope", defaultValue = "mcp:tools:write")
    String writeScope;
    @ConfigProperty(name = "mcp.max-body-bytes", defaultValue = "1048576")
    long maxBodyBytes;

    void routes(@Observes Router router) {
        // First of all on the MCP paths: the 401 rewrite is registered before anything can answer.
        router.routeWithRegex(MCP_PATHS).order(-300).handler(this::rewriteChallenges).failureHandler(this::authenticationFailed);
        router.routeWithRegex(MCP_PATHS).order(-50).handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes)).handler(this::requireScopes);
        // RFC 9728 metadata at the root too (quarkus-oidc serves /.well-known/oauth-protected-resource/mcp only).
        router.get("/.well-known/oauth-protected-resource").order(-300)
                .handler(ctx -> ctx.reroute("/.well-known/oauth-protected-resource" + URI.create(resource).getRawPath()));
    }

    private void rewriteChallenges(RoutingContext ctx) {
        boolean bearerSent = bearerToken(ctx);
        ctx.addHeadersEndHandler(ignored -> {
            if (ctx.response().getStatusCode() == 401) {
                ctx.response().headers().set(WWW_AUTHENTICATE, challenge(bearerSent ? "invalid_token" : null, requiredScope));
            }
        });
        ctx.next();
    }

    private void authenticationFailed(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        Throwable failure = ctx.failure();
        if (keycloakDidNotAnswer(failure)) {
            ctx.response().setStatusCode(503).putHeader("Retry-After", "5").putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end("{\"error\":\"temporarily_unavailable\"}");
        } else if (failure instanceof AuthenticationException) {
            // quarkus-oidc has set 401 and its challenge (rewritten on the way out); no exception text in the body.
            ctx.response().setStatusCode(401).end();
        } else {
            ctx.next();
        }
    }

    /**
     * Whether the token could not be checked because Keycloak did not answer: a failure other than an authentication
     * one (OIDC not initialised), or quarkus-oidc's {@link AuthenticationFailedException} caused by the call to Keycloak
     * (an inactive token or a missing claim has no such cause: that is a real 401).
     */
    static boolean keycloakDidNotAnswer(Throwable failure) {
        if (failure == null) {
            return false;
        }
        if (!(failure instanceof AuthenticationException)) {
            return failure instanceof OIDCException || hasTransportCause(failure);
        }
        return failure instanceof AuthenticationFailedException && hasTransportCause(failure.getCause());
    }

    private static boolean hasTransportCause(Throwable t) {
        for (int depth = 0; t != null && depth < 10; t = t.getCause(), depth++) {
            if (t instanceof IOException || t instanceof VertxException || t instanceof TimeoutException
                    || t instanceof io.smallrye.mutiny.TimeoutException || t instanceof OIDCException) {
                return true;
            }
        }
        return false;
    }

    private void requireScopes(RoutingContext ctx) {
        SecurityIdentity identity = ctx.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null;
        if (identity == null || identity.isAnonymous()) {
            // The permission policy (quarkus.http.auth.permission.mcp) answers 401 before this; never let one through.
            ctx.response().setStatusCode(401).end();
            return;
        }
        List<String> needed = new ArrayList<>(List.of(requiredScope));
        if (ctx.request().method() == HttpMethod.POST) {
            // The guard must read the body exactly as the MCP handler will (Jackson on the raw bytes, whatever the
            // header says): a body declared in another charset, or one that is no JSON, is refused here, never let
            // through with fewer scopes.
            String charset = charset(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE));
            if (charset != null && !charset.equals("utf-8")) {
                refuse(ctx, 415, "Send the JSON-RPC body in UTF-8");
                return;
            }
            Object message;
            try {
                message = ctx.body() == null || ctx.body().buffer() == null ? null : io.vertx.core.json.Json.decodeValue(ctx.body().buffer());
            } catch (RuntimeException unreadable) {
                refuse(ctx, 400, "The body is not JSON");
                return;
            }
            if (callsTool(message, WRITE_TOOL)) {
                needed.add(writeScope);
            }
        }
        if (!scopes(identity).containsAll(needed)) {
            ctx.response().setStatusCode(403)
                    .putHeader(WWW_AUTHENTICATE, challenge("insufficient_scope", String.join(" ", needed)))
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end("{\"error\":\"insufficient_scope\"}");
            return;
        }
        ctx.next();
    }

    /** The scopes Keycloak's introspection answer grants (the token's own {@code scope} claim if none). */
    static Set<String> scopes(SecurityIdentity identity) {
        String scope = null;
        TokenIntrospection introspection = identity.getAttribute("introspection");
        if (introspection != null) {
            scope = introspection.getString("scope");
        } else if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            scope = jwt.getClaim("scope");
        }
        return scope == null ? Set.of() : new HashSet<>(Arrays.asList(scope.trim().split("\\s+")));
    }

    /**
     * Whether a parsed JSON-RPC body (one message or a batch) calls {@code tool}. A call whose tool name is not a string
     * counts as calling it: the scope check fails closed.
     */
    static boolean callsTool(Object json, String tool) {
        List<Object> messages = new ArrayList<>();
        if (json instanceof JsonArray batch) {
            for (int i = 0; i < batch.size(); i++) {
                messages.add(batch.getValue(i));
            }
        } else {
            messages.add(json);
        }
        for (Object message : messages) {
            if (message instanceof JsonObject call && "tools/call".equals(call.getValue("method"))) {
                Object name = call.getValue("params") instanceof JsonObject params ? params.getValue("name") : null;
                if (tool.equals(name) || !(name instanceof String)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The {@code charset} parameter of a {@code Content-Type}, lowercase, or {@code null} when there is none. */
    static String charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String parameter : contentType.split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")) {
                return pair[1].trim().replace("\"", "").toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    private static void refuse(RoutingContext ctx, int status, String description) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("error", "invalid_request").put("error_description", description).encode());
    }

    /** {@code Bearer [error="…", ]resource_metadata="…", scope="…"}, the metadata URL derived from the canonical resource URL. */
    String challenge(String error, String scope) {
        StringBuilder challenge = new StringBuilder("Bearer ");
        if (error != null) {
            challenge.append("error=\"").append(error).append("\", ");
        }
        return challenge.append("resource_metadata=\"").append(metadataUrl()).append("\", scope=\"").append(scope).append('"').toString();
    }

    /** RFC 9728: the well-known path inserted between the resource URL's origin and its path. */
    String metadataUrl() {
        URI uri = URI.create(resource);
        return uri.getScheme() + "://" + uri.getRawAuthority() + "/.well-known/oauth-protected-resource" + uri.getRawPath();
    }

    private static boolean bearerToken(RoutingContext ctx) {
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.toLowerCase(Locale.ROOT).startsWith(BEARER);
    }
}

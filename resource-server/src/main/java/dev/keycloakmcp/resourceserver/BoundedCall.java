package dev.keycloakmcp.resourceserver;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A call to Keycloak bounded as a whole, so that neither introspection nor a key fetch can hang a request. */
final class BoundedCall {

    private BoundedCall() {
    }

    /**
     * The request's own timeout stops at the response headers; past {@code timeout} the exchange is cancelled,
     * which aborts a response whose body stalls and frees its connection (JDK 16+).
     */
    static CompletableFuture<HttpResponse<String>> send(HttpClient http, HttpRequest request, Duration timeout) {
        CompletableFuture<HttpResponse<String>> exchange = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> exchange.cancel(true));
        return exchange;
    }

    /** Why a call failed, for a log line or a startup message. */
    static String reason(Throwable e) {
        if (e instanceof AuthorizationServerUnavailable) {
            return e.getMessage();
        }
        if (e instanceof CancellationException) {
            return "no answer within the timeout";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}

package dev.keycloakmcp.enterprise;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.keycloakmcp.core.Refusal;

/**
 * The scope an ID-JAG token gets: what the client asked for, trimmed to what the IdP asserted (the IdP decides what
 * the user may use); without a request, what was asserted. Keycloak then keeps the client's own scopes among these, as
 * for any grant. Asking only for scopes the IdP did not grant is {@code invalid_scope}.
 */
final class AssertedScope {

    private AssertedScope() {
    }

    static String granted(String requested, String asserted) throws Refusal {
        Set<String> assertedScopes = split(asserted);
        Set<String> requestedScopes = split(requested);
        if (requestedScopes.isEmpty()) {
            return String.join(" ", assertedScopes);
        }
        requestedScopes.retainAll(assertedScopes);
        if (requestedScopes.isEmpty()) {
            throw Refusal.invalidScope("None of the requested scopes is granted by the assertion");
        }
        return String.join(" ", requestedScopes);
    }

    private static Set<String> split(String scopes) {
        Set<String> split = new LinkedHashSet<>();
        if (scopes != null) {
            Arrays.stream(scopes.trim().split("\\s+")).filter(scope -> !scope.isEmpty()).forEach(split::add);
        }
        return split;
    }
}

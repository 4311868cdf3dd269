package dev.keycloakmcp.cimd;

import java.util.OptionalLong;
import java.util.Set;

import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.utils.RedirectUtils;

/**
 * What a metadata-document client holds of its document when judging an authorization request: the redirect URIs
 * and until when the copy is trusted (epoch seconds; 0 when unknown, which counts as expired). Taken from the
 * stored client in a transaction of its own when another request refreshed it, since this request's view of the
 * client predates that refresh.
 */
record DocumentCopy(String rootUrl, Set<String> redirectUris, long expires) {

    DocumentCopy {
        redirectUris = Set.copyOf(redirectUris);
    }

    static DocumentCopy of(ClientModel client) {
        return new DocumentCopy(client.getRootUrl(), client.getRedirectUris(),
                epochSeconds(client.getAttribute(MetadataDocumentClient.EXPIRES_ATTRIBUTE)).orElse(0));
    }

    boolean isExpired(long now) {
        return now >= expires;
    }

    /** Whether {@code redirectUri} is one of this copy's, matched as Keycloak matches it (loopback on any port). */
    boolean lists(KeycloakSession session, String redirectUri) {
        return RedirectUtils.verifyRedirectUri(session, rootUrl, redirectUri, redirectUris, true) != null;
    }

    private static OptionalLong epochSeconds(String value) {
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}

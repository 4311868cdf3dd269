package dev.keycloakmcp.response;

import java.util.List;
import java.util.Optional;

/**
 * How an MCP client receives its authorization response: in the query of its redirect URI, the only way MCP
 * clients use (OAuth 2.1, the MCP SDKs). A redirect replaces the query but keeps a fragment (RFC 9110 §10.2.2), so a
 * code in the fragment ({@code fragment}, {@code fragment.jwt}) is carried on by any page that redirects, and the
 * consent page could not say where it ends up; {@code form_post} and the JARM modes ({@code jwt},
 * {@code query.jwt}…) are formats no MCP client reads, and one delivery format keeps what is checked small.
 */
public final class ResponseMode {

    public static final String QUERY = "query";
    /** What the metadata advertises in {@code response_modes_supported}. */
    public static final List<String> SUPPORTED = List.of(QUERY);

    private ResponseMode() {
    }

    /** Why an MCP client's request with {@code responseMode} (null when absent) is refused, or empty. */
    public static Optional<String> problem(String responseMode) {
        if (responseMode == null || QUERY.equals(responseMode)) {
            return Optional.empty();
        }
        return Optional.of("Invalid parameter: response_mode must be query for MCP clients (the code is returned in the query of the redirect URI)");
    }
}

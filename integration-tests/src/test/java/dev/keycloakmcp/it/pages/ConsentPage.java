package dev.keycloakmcp.it.pages;

import java.util.List;

/**
 * What the {@code mcp} theme's consent page says, whichever way it is read: its HTML ({@link HttpConsentPage}) or a
 * real browser ({@link BrowserConsentPage}). A text the page does not show is {@code null}.
 */
public abstract class ConsentPage {

    /** The text of the element with this id, or null when the page has none. */
    abstract String text(String id);

    /** The texts of the elements {@code selector} selects. */
    abstract List<String> texts(String selector);

    public String title() {
        return text("mcp-grant-title");
    }

    public String clientName() {
        return text("mcp-client-name");
    }

    /** The notice that the client registered or described itself (nobody in the organisation checked it). */
    public String unverifiedNotice() {
        return text("mcp-unverified");
    }

    /** The notice that the organisation registered the client. */
    public String verifiedNotice() {
        return text("mcp-verified");
    }

    /** Where the answer goes: the host of the redirect URI, and what it is. */
    public String redirectHost() {
        return text("mcp-redirect-host");
    }

    /** The MCP server the token will be for. */
    public String resourceUrl() {
        return text("mcp-resource-url");
    }

    /** Where a metadata-document client's document was published. */
    public String documentHost() {
        return text("mcp-document-host");
    }

    /** The warning that a client listening only on this computer can be any program on it. */
    public String loopbackWarning() {
        return text("mcp-loopback-only");
    }

    public List<String> requestedScopes() {
        return texts("#mcp-scopes li");
    }
}

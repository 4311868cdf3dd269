package dev.keycloakmcp.resourceserver;

import java.util.List;

/**
 * A setting is wrong: found at startup, when the server reads the issuer's metadata and keys and tries its
 * credentials, so that it stops with a clear message instead of refusing every token later. {@link #settings()} says
 * which ones to check, for a server to name them as its users set them (a flag, a variable, a property).
 */
public final class McpAuthSetupException extends IllegalStateException {

    /** The settings a startup failure can come from. */
    public enum Setting {
        ISSUER, CLIENT_ID, CLIENT_SECRET, INTROSPECTION_URL, JWKS_URL
    }

    private final List<Setting> settings;

    /**
     * @param message  what went wrong, for the server's log
     * @param cause    the failure behind it, if any
     * @param settings the settings to check
     */
    public McpAuthSetupException(String message, Throwable cause, Setting... settings) {
        super(message, cause);
        this.settings = List.of(settings);
    }

    /** The settings to check, in the order a person would look at them. */
    public List<Setting> settings() {
        return settings;
    }
}

package dev.keycloakmcp.it.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provider option of the pack on Keycloak's command line, spelled the way the running Keycloak line reads it:
 * {@code --spi-<spi>--<provider>--<option>} since 26.3, {@code --spi-<spi>-<provider>-<option>} before. 26.2 accepts
 * the newer spelling without a word and ignores it, so a wrong spelling only shows as a setting that never applies.
 */
public record SpiOption(String spi, String provider, String option) {

    /** Seconds between runs of the unused-client reaper. */
    public static final SpiOption REAPER_INTERVAL = new SpiOption("events-listener", "mcp-client-usage", "reaper-interval");
    /** The development allowance of the metadata-document fetcher (docs/configuration.md). */
    public static final SpiOption LOOPBACK_DOCUMENTS = new SpiOption("client-storage", "mcp-client-metadata-documents", "allow-loopback-documents");
    /** How long Keycloak waits for a metadata document. */
    public static final SpiOption DOCUMENT_READ_TIMEOUT = new SpiOption("client-storage", "mcp-client-metadata-documents", "read-timeout-millis");

    /** The system property that names the Keycloak distribution's version (the build sets it). */
    public static final String VERSION_PROPERTY = "keycloak.version";

    private static final Pattern MAJOR_MINOR = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\D.*)?$");

    /** {@code --spi-…=value} as the Keycloak of {@link #VERSION_PROPERTY} reads it. */
    public String withValue(Object value) {
        String version = System.getProperty(VERSION_PROPERTY);
        if (version == null || version.isBlank()) {
            throw new IllegalStateException("System property " + VERSION_PROPERTY + " is not set (the build sets it): it decides how "
                    + "Keycloak spells --spi- options");
        }
        return forVersion(version, value);
    }

    /** {@code --spi-…=value} as Keycloak {@code version} (e.g. {@code 26.2.5}) reads it. */
    public String forVersion(String version, Object value) {
        String separator = doubleDashSeparated(version) ? "--" : "-";
        return "--spi-" + spi + separator + provider + separator + option + "=" + value;
    }

    private static boolean doubleDashSeparated(String version) {
        Matcher matcher = MAJOR_MINOR.matcher(version.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Not a Keycloak version: '" + version + "'");
        }
        int major = Integer.parseInt(matcher.group(1));
        int minor = Integer.parseInt(matcher.group(2));
        return major > 26 || major == 26 && minor >= 3;
    }
}

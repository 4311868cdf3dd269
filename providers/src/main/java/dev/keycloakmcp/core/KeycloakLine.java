package dev.keycloakmcp.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.jboss.logging.Logger;
import org.keycloak.common.Profile;
import org.keycloak.common.Version;

/**
 * The Keycloak the pack runs on. The jar is built against the newest tested line and runs on every tested line:
 * what an older line lacks ({@link KeycloakFeature}) is probed once, and the code that needs it asks {@link #has}.
 */
public final class KeycloakLine {

    private static final Logger LOG = Logger.getLogger(KeycloakLine.class);

    private static final Properties BUILD = load();
    /** Probed once per server: which features this Keycloak has (immutable after class initialisation). */
    private static final Set<KeycloakFeature> PRESENT = probeAll();

    private KeycloakLine() {
    }

    public static boolean has(KeycloakFeature feature) {
        return PRESENT.contains(feature);
    }

    /** The versions the pack is tested on, as the build lists them: oldest first, the one it is compiled against last. */
    public static List<KeycloakVersion> tested() {
        return Arrays.stream(BUILD.getProperty("tested").split(",")).map(String::trim).filter(v -> !v.isEmpty())
                .map(KeycloakVersion::parse).toList();
    }

    /**
     * At start, one line per missing feature, and one when this Keycloak is outside the tested lines: newer (its
     * internal SPIs may have changed) or older than the oldest tested line (not supported).
     */
    public static void reportAtStart() {
        KeycloakVersion running = KeycloakVersion.parse(Version.VERSION);
        for (KeycloakFeature feature : KeycloakFeature.values()) {
            if (!has(feature)) {
                LOG.warn(feature.missingLine(running));
            }
        }
        outsideTested(running, tested()).ifPresent(LOG::warn);
        if (McpClientPolicy.isNeeded() && !Profile.isFeatureEnabled(Profile.Feature.CLIENT_POLICIES)) {
            LOG.error("keycloak-mcp: the client-policies feature is disabled, and Keycloak " + running + " has no other place for the "
                    + "MCP rules: PKCE, resource and response-mode checks do not run and tokens get no MCP audience. Enable it.");
        }
    }

    /** The start line of a Keycloak outside the tested lines, if it is. */
    static Optional<String> outsideTested(KeycloakVersion running, List<KeycloakVersion> tested) {
        KeycloakVersion oldest = tested.get(0);
        KeycloakVersion newest = tested.get(tested.size() - 1);
        if (running.compareTo(newest) > 0 && !running.sameLine(newest)) {
            return Optional.of("keycloak-mcp: Keycloak " + running + " is newer than the newest line the pack is tested on ("
                    + newest + "). It runs as on " + newest.line() + "; an internal SPI that changed shows as a failed MCP request, "
                    + "so try a test realm first (docs/compatibility.md)");
        }
        if (running.compareTo(oldest) < 0 && !running.sameLine(oldest)) {
            return Optional.of("keycloak-mcp: Keycloak " + running + " is older than the oldest line the pack supports ("
                    + oldest.line() + "); see docs/compatibility.md");
        }
        return Optional.empty();
    }

    private static Set<KeycloakFeature> probeAll() {
        Set<KeycloakFeature> present = EnumSet.noneOf(KeycloakFeature.class);
        for (KeycloakFeature feature : KeycloakFeature.values()) {
            if (feature.probe()) {
                present.add(feature);
            }
        }
        return Set.copyOf(present);
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = KeycloakLine.class.getResourceAsStream("keycloak-lines.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}

package dev.keycloakmcp.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Keycloak version, compared by its numbers: {@code 26.5.6}, also a vendor build such as {@code 26.2.5.redhat-00001}
 * (the suffix is ignored) or a line {@code 26.7} (patch 0).
 */
public record KeycloakVersion(int major, int minor, int patch) implements Comparable<KeycloakVersion> {

    private static final Pattern NUMBERS = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /** @throws IllegalArgumentException when {@code text} does not start with major.minor */
    public static KeycloakVersion parse(String text) {
        Matcher m = NUMBERS.matcher(text == null ? "" : text.trim());
        if (!m.find()) {
            throw new IllegalArgumentException("Not a Keycloak version: " + text);
        }
        return new KeycloakVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    /** The line, major.minor: what the compatibility table and the log lines name. */
    public String line() {
        return major + "." + minor;
    }

    public boolean sameLine(KeycloakVersion other) {
        return major == other.major && minor == other.minor;
    }

    @Override
    public int compareTo(KeycloakVersion other) {
        int c = Integer.compare(major, other.major);
        if (c == 0) {
            c = Integer.compare(minor, other.minor);
        }
        return c != 0 ? c : Integer.compare(patch, other.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}

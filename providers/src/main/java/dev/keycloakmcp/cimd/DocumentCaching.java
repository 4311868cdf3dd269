package dev.keycloakmcp.cimd;

import java.time.Duration;
import java.util.Locale;

/**
 * How long a fetched metadata document is trusted before it is fetched again.
 * What its {@code Cache-Control} allows ({@code s-maxage} before {@code max-age}; {@code no-store}/{@code no-cache},
 * or no lifetime at all, mean the minimum), kept within the admin's minimum and maximum so that a document can
 * neither force a fetch per request nor be trusted forever.
 */
final class DocumentCaching {

    private DocumentCaching() {
    }

    public static Duration lifetime(String cacheControl, Duration minimum, Duration maximum) {
        Duration wanted = minimum;
        if (cacheControl != null) {
            Long maxAge = null;
            Long sharedMaxAge = null;
            boolean noCaching = false;
            for (String directive : cacheControl.toLowerCase(Locale.ROOT).split(",")) {
                String trimmed = directive.trim();
                if (trimmed.equals("no-store") || trimmed.equals("no-cache")) {
                    noCaching = true;
                } else if (trimmed.startsWith("s-maxage=")) {
                    sharedMaxAge = seconds(trimmed.substring("s-maxage=".length()));
                } else if (trimmed.startsWith("max-age=")) {
                    maxAge = seconds(trimmed.substring("max-age=".length()));
                }
            }
            if (noCaching) {
                wanted = Duration.ZERO;
            } else if (sharedMaxAge != null) {
                wanted = Duration.ofSeconds(sharedMaxAge);
            } else if (maxAge != null) {
                wanted = Duration.ofSeconds(maxAge);
            }
        }
        if (wanted.compareTo(minimum) < 0) {
            return minimum;
        }
        return wanted.compareTo(maximum) > 0 ? maximum : wanted;
    }

    private static Long seconds(String value) {
        String digits = value.replace("\"", "").trim();
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return digits.length() > 12 ? Long.MAX_VALUE / 1_000_000_000L : Long.parseLong(digits);
    }
}

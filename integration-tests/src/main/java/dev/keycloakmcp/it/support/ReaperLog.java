package dev.keycloakmcp.it.support;

import java.util.regex.Pattern;

/** The unused-client reaper's log line for one pass over a realm, as the tests and the scale benchmark read it. */
public final class ReaperLog {

    private ReaperLog() {
    }

    /** A pass over {@code realm}: group 1 the clients removed, 2 those found unused, 3 the pass's milliseconds. */
    public static Pattern passOver(String realm) {
        return Pattern.compile("MCP client reaper: realm '" + Pattern.quote(realm) + "': removed (\\d+) of (\\d+) unused MCP clients in (\\d+) ms");
    }
}

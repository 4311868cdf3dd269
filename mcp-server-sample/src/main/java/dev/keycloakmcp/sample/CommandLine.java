package dev.keycloakmcp.sample;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * How the sample's programs (the MCP server, the downstream API) read their settings: a {@code --name=value} flag,
 * else the environment variable, else the default. An argument of another shape, or a flag no setting has, is an error
 * rather than silently ignored.
 */
public final class CommandLine {

    /** One setting: its flag, its environment variable and its default ({@code null}: none). */
    public interface Setting {

        String flag();

        String variable();

        String fallback();
    }

    private CommandLine() {
    }

    /**
     * @param settings every setting the program has
     * @param docs     where the settings are listed, for the error about an unknown flag
     * @return each setting's value, trimmed; its default when unset or blank
     */
    public static <S extends Setting> Function<S, String> values(String[] args, Map<String, String> env, S[] settings, String docs) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("Unknown argument '" + arg + "': use --name=value");
            }
            flags.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        for (String flag : flags.keySet()) {
            boolean known = false;
            for (S setting : settings) {
                known |= setting.flag().equals(flag);
            }
            if (!known) {
                throw new IllegalArgumentException("Unknown flag --" + flag + " (" + docs + " lists the settings)");
            }
        }
        return setting -> {
            String value = flags.getOrDefault(setting.flag(), env.get(setting.variable()));
            return value == null || value.isBlank() ? setting.fallback() : value.trim();
        };
    }
}

package dev.keycloakmcp.core;

/** For table tests of rules that refuse: what a rule says, as data to compare. */
public final class RefusalAssertions {

    /** A rule applied to one row of a table. */
    @FunctionalInterface
    public interface Rule {
        void apply() throws Refusal;
    }

    private RefusalAssertions() {
    }

    /** The refusal's description, or null when the rule accepts. */
    public static String refusalOf(Rule rule) {
        Refusal refusal = refusal(rule);
        return refusal == null ? null : refusal.description();
    }

    /** The refusal, or null when the rule accepts. */
    public static Refusal refusal(Rule rule) {
        try {
            rule.apply();
            return null;
        } catch (Refusal refusal) {
            return refusal;
        }
    }
}

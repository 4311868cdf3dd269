package dev.keycloakmcp.cimd;

import static dev.keycloakmcp.core.RefusalAssertions.refusalOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DomainRulesTest {

    @ParameterizedTest(name = "allowed [{0}] denied [{1}] host {2} → {3}")
    @CsvSource(delimiter = '|', textBlock = """
                                   |                | claude.ai          | accepted
            claude.ai vscode.dev   |                | claude.ai          | accepted
            claude.ai vscode.dev   |                | www.claude.ai      | accepted
            claude.ai vscode.dev   |                | evilclaude.ai      | refused
            claude.ai vscode.dev   |                | claude.ai.evil.com | refused
            *.claude.ai            |                | claude.ai          | accepted
            .claude.ai             |                | mcp.claude.ai      | accepted
            CLAUDE.AI              |                | Claude.AI          | accepted
                                   | evil.example   | evil.example       | refused
                                   | evil.example   | a.evil.example     | refused
                                   | evil.example   | notevil.example    | accepted
            evil.example           | evil.example   | evil.example       | refused
                                   | evil.example   | evil.example.      | refused
            claude.ai              |                | claude.ai.         | accepted
            """)
    void theDenyListWinsAndEntriesCoverSubdomains(String allowed, String denied, String host, String outcome) {
        DomainRules rules = new DomainRules(list(allowed), list(denied));
        assertEquals(outcome, refusalOf(() -> rules.requireAccepted(host)) != null ? "refused" : "accepted");
    }

    private static List<String> list(String spaceSeparated) {
        return spaceSeparated == null ? null : Arrays.asList(spaceSeparated.split(" "));
    }
}

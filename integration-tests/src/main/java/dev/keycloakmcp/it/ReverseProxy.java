package dev.keycloakmcp.it;

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

    private final Path dir;
    private final Process process;

    private ReverseProxy(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
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
        String upstreams = nodeHttpPorts.stream()
                .map(port -> "    server 127.0.0.1:" + port + " max_fails=1 fail_timeout=5s;")
                .collect(Collectors.joining("\n"));
        String config = """
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
        Files.writeString(dir.resolve("nginx.conf"), config);
        Process test = new ProcessBuilder("nginx", "-t", "-c", dir.resolve("nginx.conf").toString(), "-e", dir.resolve("error.log").toString())
                .redirectErrorStream(true).start();
        String testOutput = new String(test.getInputStream().readAllBytes());
        if (!test.waitFor(30, TimeUnit.SECONDS) || test.exitValue() != 0) {
            throw new IllegalStateException("nginx refused its configuration " + dir.resolve("nginx.conf") + ":\n" + testOutput);
        }
        // -g 'daemon off;': nginx stays this process's child, and goes with the JVM.
        Process process = new ProcessBuilder("nginx", "-c", dir.resolve("nginx.conf").toString(), "-e", dir.resolve("error.log").toString(),
                "-g", "daemon off;").redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        ReverseProxy proxy = new ReverseProxy(dir, process);
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::close, "nginx-stop-on-exit"));
        return proxy;
    }

    /** Is nginx on this machine? (Debian's {@code nginx} package; {@code .ci/run} installs it.) */
    public static boolean installed() {
        try {
            Process probe = new ProcessBuilder("nginx", "-v").redirectErrorStream(true).start();
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

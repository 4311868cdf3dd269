package dev.keycloakmcp.bench;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import dev.keycloakmcp.bench.SampleServerBenchmark.Variant;
import dev.keycloakmcp.it.support.KeycloakDistribution;
import dev.keycloakmcp.it.support.McpServerProcess;
import dev.keycloakmcp.sample.SampleServerConfig;

/**
 * {@code ./mvnw -o -Pbench-library}: what moving the sample server's authorization into the resource-server library
 * ({@code keycloak-mcp-resource-server}, {@code McpAuth}) costs on {@code tools/call}. Three MCP servers, each in a
 * JVM of its own started with the same flags ({@link #JVM_OPTIONS}) and the same settings (issuer, canonical URL,
 * client secret; introspection cache at its defaults), measured side by side like {@link SampleServerBenchmark}:
 * <ol>
 * <li><b>sample-before</b>: the sample server as of the commit {@code bench.baseline} (default {@value #DEFAULT_BASELINE},
 * the last one before the extraction), built from {@code git archive} under {@code target/bench} (reused once built);</li>
 * <li><b>sample-library</b>: the sample server of this build, which uses the library;</li>
 * <li><b>recipe</b>: the plain-servlet recipe ({@code PlainServletRecipe}, {@link RecipeServer}): the SDK's transport
 * behind {@code McpAuth.protect}, nothing else.</li>
 * </ol>
 * Each server must first answer {@code tools/call echo} with 200 with a token and 401 without one. Reports throughput
 * and p50/p99 per server and the ratios sample-library/sample-before and recipe/sample-before, overall and per round
 * (min, median, max), as Markdown for docs/benchmarks.md.
 */
public final class LibraryOverheadBenchmark {

    static final String DEFAULT_BASELINE = "cd2a361";
    static final String BASELINE = System.getProperty("bench.baseline", DEFAULT_BASELINE);
    /** Added to every server's JVM flags (besides the {@code -Xmx256m} all get). */
    static final List<String> JVM_OPTIONS = Arrays.stream(System.getProperty("bench.jvm.options", "").trim().split("\\s+"))
            .filter(option -> !option.isEmpty()).toList();
    /** What the library's sample must reach against the old one: median over the rounds of sample-library/sample-before. */
    static final double TARGET = 0.95;
    private static final String BEFORE = "sample-before";
    private static final String LIBRARY = "sample-library";
    private static final String RECIPE = "recipe";

    private LibraryOverheadBenchmark() {
    }

    public static void main(String[] args) {
        int status = 1;
        try {
            run();
            status = 0;
        } catch (Exception e) {
            e.printStackTrace();
        } finally {
            // The HTTP client's and callers' threads would keep Maven's exec:java waiting.
            System.exit(status);
        }
    }

    private static void run() throws Exception {
        Path work = SampleServerBenchmark.workDir();
        String baselineClasspath = baselineClasspath(Path.of(System.getProperty("bench.repo")), BASELINE, work);
        String libraryClasspath = System.getProperty("mcp.sample.classpath");
        String recipeClasspath = System.getProperty("bench.classes") + File.pathSeparator + libraryClasspath;
        try (KeycloakDistribution keycloak = SampleServerBenchmark.startKeycloak("keycloak-library-bench.log")) {
            List<String> tokens = SampleServerBenchmark.accessTokens(SampleServerBenchmark.longLivedClient(keycloak),
                    SampleServerBenchmark.TOKENS);
            // The same settings for all three: the canonical URL the tokens are bound to, each server on its own port.
            Map<String, String> settings = Map.of("MCP_ISSUER", keycloak.issuer("mcp"), "MCP_RESOURCE", TokenEndpointComparison.RESOURCE,
                    "MCP_CLIENT_SECRET", SampleServerConfig.DEMO_CLIENT_SECRET);
            List<Variant> variants = new ArrayList<>();
            ExecutorService httpThreads = Executors.newFixedThreadPool(8);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(httpThreads).build();
            ExecutorService callers = Executors.newFixedThreadPool(SampleServerBenchmark.CALLERS);
            try {
                variants.add(start(BEFORE + " (" + BASELINE + ")", BEFORE, baselineClasspath, "dev.keycloakmcp.sample.McpSampleServer", settings, work));
                variants.add(start(LIBRARY, LIBRARY, libraryClasspath, "dev.keycloakmcp.sample.McpSampleServer", settings, work));
                variants.add(start(RECIPE, RECIPE, recipeClasspath, RecipeServer.class.getName(), settings, work));
                for (Variant variant : variants) {
                    check(http, variant, tokens.get(0));
                }
                System.out.println("All three answer tools/call echo with 200, and 401 without a token.");
                for (Variant variant : variants) {
                    for (int caller = 0; caller < SampleServerBenchmark.CALLERS; caller++) {
                        variant.sessions.add(SampleServerBenchmark.initialize(http, variant.url, tokens.get(caller % SampleServerBenchmark.TOKENS)));
                    }
                }
                List<Map<String, Double>> rounds = SampleServerBenchmark.alternate(http, callers, variants, tokens);
                System.out.println(report(variants, rounds));
            } finally {
                callers.shutdownNow();
                httpThreads.shutdownNow();
                for (Variant variant : variants) {
                    variant.server.close();
                }
            }
        }
    }

    /** One server in a JVM of its own on a free port, its output in {@code target/bench/library-bench-<log>.log}. */
    private static Variant start(String name, String log, String classpath, String mainClass, Map<String, String> settings, Path work)
            throws Exception {
        int port = KeycloakDistribution.freePort();
        Map<String, String> env = new LinkedHashMap<>(settings);
        env.put("MCP_PORT", String.valueOf(port));
        System.out.println("Starting " + name + " on port " + port + " ...");
        return new Variant(name, McpServerProcess.start(classpath, mainClass, env, JVM_OPTIONS, port,
                work.resolve("library-bench-" + log + ".log")), port, null);
    }

    /** Aborts the run unless {@code variant} answers {@code tools/call echo} with 200 with a token and 401 without. */
    private static void check(HttpClient http, Variant variant, String token) throws Exception {
        String session = SampleServerBenchmark.initialize(http, variant.url, token);
        HttpResponse<String> echo = http.send(SampleServerBenchmark.post(variant.url, token, session, SampleServerBenchmark.ECHO),
                HttpResponse.BodyHandlers.ofString());
        if (echo.statusCode() != 200 || !echo.body().contains("hello")) {
            throw new IllegalStateException(variant.name + ": tools/call echo answered " + echo.statusCode() + " " + echo.body());
        }
        // Without a token, in the session just opened (a session id is no credential) and outside any session.
        for (String inSession : Arrays.asList(session, null)) {
            HttpResponse<String> anonymous = http.send(SampleServerBenchmark.post(variant.url, null, inSession, SampleServerBenchmark.ECHO),
                    HttpResponse.BodyHandlers.ofString());
            if (anonymous.statusCode() != 401) {
                throw new IllegalStateException(variant.name + ": tools/call echo without a token answered " + anonymous.statusCode() + " "
                        + anonymous.body());
            }
        }
    }

    private static String report(List<Variant> variants, List<Map<String, Double>> rounds) {
        Variant before = variants.get(0);
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "%n| server | tools/call per s | p50 ms | p99 ms | ratio to sample-before |%n| --- | ---: | ---: | ---: | ---: |%n"));
        for (Variant variant : variants) {
            text.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %.3f |%n", variant.name, variant.throughput(),
                    variant.percentileMillis(0.50), variant.percentileMillis(0.99), variant.throughput() / before.throughput()));
        }
        text.append(String.format(Locale.ROOT, "%n| ratio | overall | median of rounds | min of rounds | max of rounds |%n"
                + "| --- | ---: | ---: | ---: | ---: |%n"));
        double libraryMedian = 0;
        for (Variant variant : variants.subList(1, variants.size())) {
            double[] spread = SampleServerBenchmark.spread(SampleServerBenchmark.ratios(rounds, variant.name, before.name));
            if (variant.name.equals(LIBRARY)) {
                libraryMedian = spread[1];
            }
            text.append(String.format(Locale.ROOT, "| %s / %s | %.3f | %.3f | %.3f | %.3f |%n", variant.name, BEFORE,
                    variant.throughput() / before.throughput(), spread[1], spread[0], spread[2]));
        }
        text.append(String.format(Locale.ROOT, "%n%s/%s median %.3f: target ≥ %.2f %s.%n", LIBRARY, BEFORE, libraryMedian, TARGET,
                libraryMedian >= TARGET ? "met" : "NOT met"));
        return text.append(String.format(Locale.ROOT, "%d callers, %d tokens, %d rounds of one %d ms slice per server after %d warm-up"
                + " rounds; each server in its own JVM (-Xmx256m %s), Java %s.%n", SampleServerBenchmark.CALLERS, SampleServerBenchmark.TOKENS,
                SampleServerBenchmark.SLICES, SampleServerBenchmark.SLICE.toMillis(), SampleServerBenchmark.WARM_UP_SLICES,
                String.join(" ", JVM_OPTIONS), System.getProperty("java.version")).replace(" )", ")")).toString();
    }

    /**
     * The runtime classpath of the sample server as of {@code commit}: its sources from {@code git archive} (the
     * working tree is not touched) in {@code target/bench/baseline-<commit>}, built there with {@code package} (never
     * installed: ~/.m2 keeps this build's artifacts), offline first. Reused when that directory holds a finished build.
     */
    static String baselineClasspath(Path repo, String commit, Path work) throws Exception {
        String hash = git(repo, "rev-parse", "--verify", "--short=7", commit + "^{commit}");
        Path dir = work.resolve("baseline-" + hash);
        Path classpathFile = dir.resolve("bench-classpath.txt");
        if (Files.isRegularFile(classpathFile)) {
            System.out.println("Sample server as of " + hash + ": reusing the build in " + dir);
            return Files.readString(classpathFile).strip();
        }
        System.out.println("Building the sample server as of " + hash + " in " + dir + " ...");
        deleteTree(dir);
        Files.createDirectories(dir);
        Path log = work.resolve("baseline-" + hash + "-build.log");
        Files.deleteIfExists(log);
        Path tar = work.resolve("baseline-" + hash + ".tar");
        exec(repo, log, "git", "archive", "--format=tar", "-o", tar.toString(), hash);
        exec(dir, log, "tar", "-xf", tar.toString());
        Files.delete(tar);
        Path dependencies = dir.resolve("dependencies.txt");
        List<String> build = List.of("./mvnw", "-B", "-q", "-pl", "mcp-server-sample", "package", "dependency:build-classpath",
                "-DskipTests", "-DincludeScope=runtime", "-Dmdep.outputFile=" + dependencies);
        List<String> offline = new ArrayList<>(build);
        offline.add(1, "-o");
        if (!succeeds(dir, log, offline)) {
            System.out.println("Offline build failed (see " + log + "); trying online ...");
            if (!succeeds(dir, log, build)) {
                throw new IllegalStateException("The sample server as of " + hash + " did not build; see " + log);
            }
        }
        Path jar;
        try (Stream<Path> files = Files.list(dir.resolve("mcp-server-sample/target"))) {
            jar = files.filter(file -> file.getFileName().toString().matches("mcp-server-sample-.*(?<!-sources|-javadoc|-tests)\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("No mcp-server-sample jar in " + dir + "/mcp-server-sample/target"));
        }
        String classpath = jar + File.pathSeparator + Files.readString(dependencies).strip();
        Files.writeString(classpathFile, classpath);
        return classpath;
    }

    private static String git(Path repo, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes()).strip();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + output);
        }
        return output;
    }

    private static void exec(Path dir, Path log, String... command) throws IOException, InterruptedException {
        if (!succeeds(dir, log, List.of(command))) {
            throw new IllegalStateException(String.join(" ", command) + " failed; see " + log);
        }
    }

    private static boolean succeeds(Path dir, Path log, List<String> command) throws IOException, InterruptedException {
        Files.writeString(log, "$ " + String.join(" ", command) + "\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // The nested Maven finds its own project directory (the one running this benchmark exports its own).
        builder.environment().remove("MAVEN_PROJECTBASEDIR");
        builder.environment().remove("MAVEN_BASEDIR");
        return builder.start().waitFor() == 0;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}

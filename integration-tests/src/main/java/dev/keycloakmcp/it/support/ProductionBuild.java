package dev.keycloakmcp.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The deployment guide's image recipe, reproduced on the distribution from Maven Central (no Docker here): the pack's
 * jars in {@code providers/}, then {@code kc.sh build} with exactly the options of the guide's Dockerfile, read from
 * {@code docs/production.md} — so the guide cannot drift from what the tests run. The result is kept between runs
 * while the distribution, the jars and the options are unchanged; every node gets a hard-linked copy of it with its
 * own {@code data/} and {@code conf/}.
 */
public final class ProductionBuild {

    /** The guide's build line: {@code RUN /opt/keycloak/bin/kc.sh build <options>} in its Dockerfile. */
    private static final Pattern RECIPE = Pattern.compile("^RUN /opt/keycloak/bin/kc\\.sh build (.+)$", Pattern.MULTILINE);

    private final Path home;
    private final List<String> options;

    private ProductionBuild(Path home, List<String> options) {
        this.home = home;
        this.options = options;
    }

    /** The {@code kc.sh build} options of the Dockerfile in {@code guide}. */
    public static List<String> recipeOptions(Path guide) throws IOException {
        Matcher matcher = RECIPE.matcher(Files.readString(guide));
        if (!matcher.find()) {
            throw new IllegalStateException(guide + " has no Dockerfile line 'RUN /opt/keycloak/bin/kc.sh build …'");
        }
        List<String> options = List.of(matcher.group(1).trim().split("\\s+"));
        if (matcher.find()) {
            throw new IllegalStateException(guide + " has more than one kc.sh build line");
        }
        return options;
    }

    /**
     * Builds {@code distribution} (an unpacked {@code keycloak-<version>}, left untouched) with the jars of
     * {@code packDir} (none: stock Keycloak) and {@code options} into {@code into}, unless the same build is there.
     */
    public static ProductionBuild build(Path distribution, Path packDir, List<String> options, Path into, Path log)
            throws IOException, InterruptedException {
        List<Path> jars = packDir == null ? List.of() : jars(packDir);
        String stamp = stamp(distribution, jars, options);
        Path stampFile = into.resolve(".built");
        if (Files.isRegularFile(stampFile) && Files.readString(stampFile).equals(stamp)) {
            return new ProductionBuild(into, options);
        }
        KeycloakDistribution.deleteRecursively(into);
        copyTree(distribution, into, path -> !path.startsWith(distribution.resolve("data"))
                && !path.getFileName().toString().startsWith("keycloak-mcp-"));
        for (Path jar : jars) {
            Files.copy(jar, into.resolve("providers").resolve(jar.getFileName()));
        }
        List<String> command = new ArrayList<>(List.of(into.resolve("bin/kc.sh").toString(), "build"));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command).directory(into.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("kc.sh build failed; see " + log);
        }
        Files.writeString(stampFile, stamp);
        return new ProductionBuild(into, options);
    }

    public Path home() {
        return home;
    }

    public List<String> options() {
        return options;
    }

    /** A node's own home: the built files hard-linked (instant, shared), with {@code data/} and {@code conf/} its own. */
    public Path nodeHome(Path dir) throws IOException {
        KeycloakDistribution.deleteRecursively(dir);
        try (Stream<Path> paths = Files.walk(home)) {
            for (Path path : paths.toList()) {
                Path relative = home.relativize(path);
                if (relative.startsWith("data") || relative.toString().equals(".built")) {
                    continue;
                }
                Path target = dir.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else if (relative.startsWith("conf") || relative.startsWith("bin")) {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                } else {
                    Files.createLink(target, path);
                }
            }
        }
        return dir;
    }

    private static List<Path> jars(Path packDir) throws IOException {
        try (Stream<Path> files = Files.list(packDir)) {
            return files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }

    private static String stamp(Path distribution, List<Path> jars, List<String> options) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(distribution.toAbsolutePath().toString().getBytes());
            digest.update(Files.readAllBytes(distribution.resolve("version.txt")));
            for (Path jar : jars) {
                digest.update(Files.readAllBytes(jar));
            }
            digest.update(String.join(" ", options).getBytes());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to, java.util.function.Predicate<Path> include) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.sorted(Comparator.naturalOrder()).filter(include).toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}

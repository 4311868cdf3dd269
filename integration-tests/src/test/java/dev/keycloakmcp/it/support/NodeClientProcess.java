package dev.keycloakmcp.it.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real MCP client running as a Node process: its output is kept line by line so that a test can wait for what the
 * client prints (an authorization URL, a JSON-RPC answer) within a bound, and every failure shows the client's last
 * lines. Closing it ends the whole process tree.
 */
public final class NodeClientProcess implements AutoCloseable {

    public enum Output { STDOUT, STDERR }

    private static final Pattern URL = Pattern.compile("https?://\\S+");
    private static final int TAIL_LINES = 40;

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final long startedNanos = System.nanoTime();
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private int openStreams = 2;

    private NodeClientProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        read(process.getInputStream(), stdout);
        read(process.getErrorStream(), stderr);
    }

    /** Starts {@code script} on {@code node} with {@code arguments}; {@code environment} is added to this JVM's. */
    public static NodeClientProcess start(String name, Path node, Path script, List<String> arguments, Map<String, String> environment) {
        List<String> command = new ArrayList<>(List.of(node.toString(), script.toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        // No browser: the test signs in itself (xdg-open, which the clients call, runs $BROWSER).
        builder.environment().put("BROWSER", "true");
        try {
            return new NodeClientProcess(name, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name + ": " + command, e);
        }
    }

    private void read(InputStream stream, List<String> lines) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (this) {
                        lines.add(line);
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // The process was ended; what it printed is kept.
            } finally {
                synchronized (this) {
                    openStreams--;
                    notifyAll();
                }
            }
        }, name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** The first URL the client prints on {@code output} after a line containing {@code marker} (on that line or a later one). */
    public String awaitUrlAfter(Output output, String marker, Duration timeout) {
        return await("a URL after '" + marker + "' on " + output, timeout, () -> {
            List<String> lines = lines(output);
            for (int i = 0; i < lines.size(); i++) {
                int at = lines.get(i).indexOf(marker);
                if (at < 0) {
                    continue;
                }
                Matcher sameLine = URL.matcher(lines.get(i).substring(at + marker.length()));
                if (sameLine.find()) {
                    return Optional.of(sameLine.group());
                }
                for (String later : lines.subList(i + 1, lines.size())) {
                    Matcher matcher = URL.matcher(later);
                    if (matcher.find()) {
                        return Optional.of(matcher.group());
                    }
                }
            }
            return Optional.empty();
        });
    }

    /** The first line on {@code output} that {@code match} turns into a value. */
    public <T> T awaitLine(Output output, String what, Duration timeout, Function<String, Optional<T>> match) {
        return await(what + " on " + output, timeout, () -> {
            for (String line : lines(output)) {
                Optional<T> value = match.apply(line);
                if (value.isPresent()) {
                    return value;
                }
            }
            return Optional.empty();
        });
    }

    private synchronized <T> T await(String what, Duration timeout, java.util.function.Supplier<Optional<T>> check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                Optional<T> value = check.get();
                if (value.isPresent()) {
                    return value.get();
                }
                if (openStreams == 0 && !process.isAlive()) {
                    return fail(name + " ended (exit " + process.exitValue() + ") without printing " + what + "\n" + tail());
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return fail(name + " did not print " + what + " within " + timeout + "\n" + tail());
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes one line (a JSON-RPC message of the stdio transport) to the client's stdin. */
    public void writeLine(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            fail(name + " does not read its input any more: " + e + "\n" + tail());
        }
    }

    /** Waits for the client to exit on its own and for all its output; its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail(name + " did not exit within " + timeout + "\n" + tail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return await("all its output", timeout, () -> openStreams == 0 ? Optional.of(process.exitValue()) : Optional.empty());
    }

    /** Steps of a test with this client: any assertion that fails in them also shows the client's last lines. */
    public void showingOutputOnFailure(Steps steps) throws Exception {
        try {
            steps.run();
        } catch (AssertionError e) {
            if (e.getMessage() != null && e.getMessage().contains("---- " + name)) {
                throw e;
            }
            throw new AssertionError(e.getMessage() + "\n" + tail(), e);
        }
    }

    public interface Steps {
        void run() throws Exception;
    }

    public synchronized String stdout() {
        return String.join("\n", stdout);
    }

    public Duration sinceStart() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** The client's last lines of both outputs, for failure messages. */
    synchronized String tail() {
        return "---- " + name + " stderr (last lines) ----\n" + String.join("\n", last(stderr))
                + "\n---- " + name + " stdout (last lines) ----\n" + String.join("\n", last(stdout));
    }

    private static List<String> last(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
    }

    private synchronized List<String> lines(Output output) {
        return List.copyOf(output == Output.STDOUT ? stdout : stderr);
    }

    @Override
    public void close() {
        // Node clients may start helpers of their own: end the children first, then the client.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

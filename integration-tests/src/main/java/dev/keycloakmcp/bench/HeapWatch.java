package dev.keycloakmcp.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The heap of another JVM (a Keycloak node) while something runs there, from {@code jstat -gc} samples every
 * {@link #INTERVAL_MILLIS}: the most in use at once (young and old generations) and the old generation at the last
 * sample, in MB.
 */
final class HeapWatch implements AutoCloseable {

    static final int INTERVAL_MILLIS = 250;
    private static final List<String> USED = List.of("S0U", "S1U", "EU", "OU");

    private final Process jstat;
    private final Thread reader;
    private volatile double peakMb;
    private volatile double oldMb;

    private HeapWatch(Process jstat) {
        this.jstat = jstat;
        this.reader = new Thread(this::read, "heap-watch");
        reader.setDaemon(true);
        reader.start();
    }

    static HeapWatch of(long pid) throws IOException {
        Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
        return new HeapWatch(new ProcessBuilder(jstat.toString(), "-gc", String.valueOf(pid), String.valueOf(INTERVAL_MILLIS))
                .redirectErrorStream(true).start());
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> header = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                List<String> fields = Arrays.asList(line.trim().split("\\s+"));
                if (fields.contains("EU")) {
                    header = fields;
                } else if (header != null && fields.size() == header.size()) {
                    double usedKb = 0;
                    for (String column : USED) {
                        usedKb += Double.parseDouble(fields.get(header.indexOf(column)));
                    }
                    peakMb = Math.max(peakMb, usedKb / 1024);
                    oldMb = Double.parseDouble(fields.get(header.indexOf("OU"))) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // jstat ended (close) or printed something else: the samples so far stand
        }
    }

    double peakMb() {
        return peakMb;
    }

    double oldGenerationMb() {
        return oldMb;
    }

    @Override
    public void close() throws InterruptedException {
        // One more sample interval so that the end of what was watched is in.
        Thread.sleep(INTERVAL_MILLIS * 2L);
        jstat.destroy();
        reader.join(2000);
    }
}

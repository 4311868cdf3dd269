package dev.keycloakmcp.it.support;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One scrape of a {@code /metrics} endpoint in the Prometheus text format, read as Prometheus reads it: series by
 * name and labels. Tests compare two scrapes, since other tests share the Keycloak and its counters.
 */
public final class PrometheusText {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)(\\s+\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    public record Series(String name, Map<String, String> labels, double value) {
    }

    private final List<Series> series;

    private PrometheusText(List<Series> series) {
        this.series = series;
    }

    /** Scrapes {@code url} (200 with the text format expected). */
    public static PrometheusText scrape(String url) {
        HttpResponse<String> response = new Http().get(url);
        assertEquals(200, response.statusCode(), () -> url + ": " + response.body());
        return parse(response.body());
    }

    static PrometheusText parse(String text) {
        List<Series> series = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line.strip());
            if (!sample.matches()) {
                throw new IllegalArgumentException("Not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
                }
            }
            series.add(new Series(sample.group(1), labels, number(sample.group(4))));
        }
        return new PrometheusText(series);
    }

    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    /** The sum of the series named {@code name} whose labels include {@code labels} (0 if there is none: not counted yet). */
    public double sum(String name, Map<String, String> labels) {
        return matching(name, labels).stream().mapToDouble(Series::value).sum();
    }

    /** The series named {@code name} whose labels include {@code labels}. */
    public List<Series> matching(String name, Map<String, String> labels) {
        return series.stream().filter(s -> s.name.equals(name) && s.labels.entrySet().containsAll(labels.entrySet())).toList();
    }

    /** Every series named {@code name}. */
    public List<Series> named(String name) {
        return matching(name, Map.of());
    }
}

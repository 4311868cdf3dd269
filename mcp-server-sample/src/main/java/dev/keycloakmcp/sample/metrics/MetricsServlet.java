package dev.keycloakmcp.sample.metrics;

import java.io.IOException;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /metrics} on the metrics port: the server's meters for Prometheus. */
public final class MetricsServlet extends HttpServlet {

    private final transient SampleMetrics metrics;

    public MetricsServlet(SampleMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType(SampleMetrics.CONTENT_TYPE);
        response.getWriter().write(metrics.scrape());
    }
}

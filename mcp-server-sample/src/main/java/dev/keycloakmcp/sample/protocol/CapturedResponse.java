package dev.keycloakmcp.sample.protocol;

import java.io.ByteArrayOutputStream;
import java.io.CharArrayWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * What the SDK's stateless transport answers, held back so that the filter can complete it for a 2026-07-28 client
 * before anything is sent. That transport answers synchronously with one JSON object (or a bare status), never a
 * stream, so holding it back is safe.
 */
final class CapturedResponse extends HttpServletResponseWrapper {

    private final CharArrayWriter text = new CharArrayWriter();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintWriter writer = new PrintWriter(text);
    private int status = SC_OK;
    private boolean error;

    CapturedResponse(HttpServletResponse response) {
        super(response);
    }

    @Override
    public void setStatus(int status) {
        this.status = status;
    }

    @Override
    public void sendError(int status) {
        sendError(status, null);
    }

    @Override
    public void sendError(int status, String message) {
        this.status = status;
        this.error = true;
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public PrintWriter getWriter() {
        return writer;
    }

    @Override
    public ServletOutputStream getOutputStream() {
        return new ServletOutputStream() {
            @Override
            public void write(int b) {
                bytes.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new IllegalStateException("Not asynchronous");
            }
        };
    }

    @Override
    public void flushBuffer() {
        writer.flush();
    }

    @Override
    public boolean isCommitted() {
        return false;
    }

    /** Whether the transport answered with {@code sendError} (a bare status, no JSON). */
    boolean isError() {
        return error;
    }

    String body() {
        writer.flush();
        return text.size() > 0 ? text.toString() : bytes.toString(StandardCharsets.UTF_8);
    }
}

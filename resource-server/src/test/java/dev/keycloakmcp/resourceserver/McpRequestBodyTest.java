package dev.keycloakmcp.resourceserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.modelcontextprotocol.json.McpJsonDefaults;

import dev.keycloakmcp.resourceserver.McpRequestBody.Refusal;

class McpRequestBodyTest {

    static Stream<Arguments> bodies() {
        byte[] invalidUtf8 = "{\"method\":\"tools/call\",\"params\":{\"name\":\"add_note\",\"arguments\":{\"text\":\"X\"}}}"
                .getBytes(StandardCharsets.UTF_8);
        invalidUtf8[invalidUtf8.length - 5] = (byte) 0xFF;
        return Stream.of(
                Arguments.of("{\"jsonrpc\":\"2.0\",\"method\":\"tools/list\",\"id\":1}".getBytes(StandardCharsets.UTF_8), null),
                Arguments.of("[{\"method\":\"tools/list\"}]".getBytes(StandardCharsets.UTF_8), null),
                Arguments.of("{\"text\":\"caf\u00e9 \u2603\"}".getBytes(StandardCharsets.UTF_8), null),
                Arguments.of(invalidUtf8, Refusal.NOT_UTF_8),
                Arguments.of("{\"text\":\"caf\u00e9\"}".getBytes(StandardCharsets.UTF_16), Refusal.NOT_UTF_8),
                Arguments.of(new byte[0], Refusal.NOT_JSON),
                Arguments.of("null".getBytes(StandardCharsets.UTF_8), Refusal.NOT_JSON),
                Arguments.of("not json".getBytes(StandardCharsets.UTF_8), Refusal.NOT_JSON),
                Arguments.of("{\"method\":".getBytes(StandardCharsets.UTF_8), Refusal.NOT_JSON));
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void onlyUtf8JsonIsReadAndEverythingElseRefused(byte[] body, Refusal expected) {
        assertEquals(expected, McpRequestBody.parse(body, McpJsonDefaults.getMapper()).refusal());
    }
}

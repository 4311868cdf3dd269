package dev.keycloakmcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class McpClientKindTest {

    /** Only clients that came by themselves are capped, reaped, listed in the directory and revocable. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            DYNAMIC,           dynamic,           true
            METADATA_DOCUMENT, metadata-document, true
            PREREGISTERED,     preregistered,     false
            MACHINE,           machine,           false
            """)
    void selfRegisteredOnlyWhenItCameByItself(McpClientKind kind, String value, boolean selfRegistered) {
        assertEquals(value, kind.value());
        assertEquals(selfRegistered, kind.isSelfRegistered());
    }
}

package dev.keycloakmcp.spring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

class ToolScopeFilterTest {

    private static final String ADD_NOTE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"add_note\",\"arguments\":{\"text\":\"n\"}}}";

    private final ToolScopeFilter filter = new ToolScopeFilter(new ToolScopes("mcp:tools", Map.of("add_note", "mcp:tools:write")));
    private final MockFilterChain chain = new MockFilterChain();
    private final MockHttpServletResponse response = new MockHttpServletResponse();

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    private static void signedInWith(String... authorities) {
        SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("alice", null, authorities));
    }

    private static MockHttpServletRequest post(String body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/mcp");
        request.setContentType("application/json");
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        return request;
    }

    @Test
    void theWriteToolWithoutItsScopeIsRefusedWithEveryScopeItNeeds() {
        signedInWith("SCOPE_mcp:tools");
        InsufficientScopeException refused = assertThrows(InsufficientScopeException.class, () -> filter.doFilter(post(ADD_NOTE), response, chain));
        assertEquals(List.of("mcp:tools", "mcp:tools:write"), List.copyOf(refused.requiredScopes()));
        assertNull(chain.getRequest(), "the transport never saw it");
    }

    @Test
    void withItsScopeTheBodyIsReplayedByteForByte() throws Exception {
        signedInWith("SCOPE_mcp:tools", "SCOPE_mcp:tools:write");
        filter.doFilter(post(ADD_NOTE), response, chain);
        assertArrayEquals(ADD_NOTE.getBytes(StandardCharsets.UTF_8), chain.getRequest().getInputStream().readAllBytes());
    }

    @Test
    void aBatchNeedsTheScopesOfAllItsCalls() {
        signedInWith("SCOPE_mcp:tools");
        String batch = "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"whoami\"}}," + ADD_NOTE + "]";
        assertThrows(InsufficientScopeException.class, () -> filter.doFilter(post(batch), response, chain));
    }

    @Test
    void duplicateKeysAreNotGuessed() throws Exception {
        signedInWith("SCOPE_mcp:tools");
        filter.doFilter(post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"whoami\",\"name\":\"add_note\"}}"),
                response, chain);
        assertEquals(400, response.getStatus());
        assertNull(chain.getRequest());
    }

    @Test
    void anotherCharsetIsRefused() throws Exception {
        signedInWith("SCOPE_mcp:tools", "SCOPE_mcp:tools:write");
        for (String contentType : List.of("application/json; charset=UTF-16", "application/json;charset=\"latin1\"")) {
            MockHttpServletRequest request = post(ADD_NOTE);
            request.setContentType(contentType);
            // What Spring Boot does to every request (spring.servlet.encoding.force-request): the header is what counts.
            request.setCharacterEncoding("UTF-8");
            MockHttpServletResponse refused = new MockHttpServletResponse();
            filter.doFilter(request, refused, chain);
            assertEquals(415, refused.getStatus(), contentType);
        }
        assertNull(chain.getRequest());
    }

    @Test
    void aBodyOverTheCapIsRefusedUnread() throws Exception {
        signedInWith("SCOPE_mcp:tools");
        filter.doFilter(post(" ".repeat(ToolScopeFilter.MAX_BODY_BYTES + 1)), response, chain);
        assertEquals(413, response.getStatus());
    }
}

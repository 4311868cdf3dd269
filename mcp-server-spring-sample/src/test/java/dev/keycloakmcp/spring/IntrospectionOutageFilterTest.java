package dev.keycloakmcp.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.servlet.FilterChain;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AuthenticationServiceException;

/** Keycloak unreachable during introspection: 503, never a pass and never a 500. */
class IntrospectionOutageFilterTest {

    private final IntrospectionOutageFilter filter = new IntrospectionOutageFilter();

    @Test
    void keycloakNotAnsweringIs503WithRetryAfter() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        FilterChain keycloakDown = (request, answer) -> {
            throw new AuthenticationServiceException("I/O error on POST request for introspection: Connection refused");
        };
        filter.doFilter(new MockHttpServletRequest("POST", "/mcp"), response, keycloakDown);
        assertEquals(503, response.getStatus());
        assertEquals("5", response.getHeader("Retry-After"));
        assertEquals("{\"error\":\"temporarily_unavailable\"}", response.getContentAsString());
    }

    @Test
    void otherFailuresAreNotTurnedInto503() {
        FilterChain bug = (request, answer) -> {
            throw new IllegalStateException("a bug");
        };
        assertThrows(IllegalStateException.class,
                () -> filter.doFilter(new MockHttpServletRequest("POST", "/mcp"), new MockHttpServletResponse(), bug));
    }
}

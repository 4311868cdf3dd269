package dev.keycloakmcp.spring;

import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;

import org.springframework.ai.mcp.server.common.autoconfigure.properties.McpServerStreamableHttpProperties;
import org.springframework.ai.mcp.server.webmvc.transport.WebMvcStreamableServerTransportProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import tools.jackson.databind.json.JsonMapper;

/**
 * Spring AI's Streamable HTTP transport as its auto-configuration builds it, plus the extractor that hands the
 * authenticated caller to tools ({@link McpCaller}). Spring AI backs off from its own bean when this one exists.
 */
@Configuration(proxyBeanMethods = false)
class McpTransportConfiguration {

    @Bean
    WebMvcStreamableServerTransportProvider webMvcStreamableServerTransportProvider(JsonMapper jsonMapper,
            McpServerStreamableHttpProperties streamable, McpResourceServerProperties properties) {
        if (!streamable.getMcpEndpoint().equals(properties.mcpPath())) {
            throw new IllegalStateException("spring.ai.mcp.server.streamable-http.mcp-endpoint (" + streamable.getMcpEndpoint()
                    + ") must be the path of mcp.resource (" + properties.resource() + ")");
        }
        return WebMvcStreamableServerTransportProvider.builder()
                .jsonMapper(new JacksonMcpJsonMapper(jsonMapper))
                .mcpEndpoint(streamable.getMcpEndpoint())
                .keepAliveInterval(streamable.getKeepAliveInterval())
                .disallowDelete(streamable.isDisallowDelete())
                .contextExtractor(McpCaller::extract)
                .build();
    }
}

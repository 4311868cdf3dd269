package dev.keycloakmcp.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** A Spring AI MCP server (Streamable HTTP at /mcp) that Keycloak protects: see README.md. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SpringMcpServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(SpringMcpServerApplication.class, args);
    }
}

package dev.keycloakmcp.spring;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.http.client.support.BasicAuthenticationInterceptor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.SpringOpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.client.RestTemplate;

/**
 * The MCP endpoint as an OAuth 2.0 resource server of Keycloak, with Spring Security: opaque-token introspection bound
 * to this server's audience, RFC 9728 metadata, MCP's challenges and step-up, no HTTP session.
 */
@Configuration(proxyBeanMethods = false)
class McpSecurityConfiguration {

    @Bean
    SecurityFilterChain mcpSecurity(HttpSecurity http, McpResourceServerProperties properties, OpaqueTokenIntrospector introspector)
            throws Exception {
        McpBearerChallenge challenge = new McpBearerChallenge(properties);
        ToolScopes toolScopes = new ToolScopes(properties.requiredScope(), Map.of("add_note", properties.writeScope()));
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(McpResourceServerProperties.METADATA_PATH, McpResourceServerProperties.METADATA_PATH + "/**").permitAll()
                        .anyRequest().hasAuthority("SCOPE_" + properties.requiredScope()))
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .opaqueToken(opaque -> opaque.introspector(introspector))
                        .authenticationEntryPoint(challenge)
                        .accessDeniedHandler(challenge)
                        // Served at both well-known URLs; Spring derives resource from the request URL: say the canonical one.
                        .protectedResourceMetadata(metadata -> metadata.protectedResourceMetadataCustomizer(builder -> builder
                                .resource(properties.resource())
                                .authorizationServer(properties.issuer())
                                .scope(properties.requiredScope())
                                .resourceName(properties.resourceName())
                                // Spring says true by default; Keycloak's tokens here are not bound to a client certificate.
                                .tlsClientCertificateBoundAccessTokens(false))))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(challenge).accessDeniedHandler(challenge))
                // Every request carries its token: no HTTP session, so no cookie and nothing for CSRF to protect.
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .addFilterBefore(new IntrospectionOutageFilter(), BearerTokenAuthenticationFilter.class)
                .addFilterAfter(new ToolScopeFilter(toolScopes), AuthorizationFilter.class);
        return http.build();
    }

    /**
     * RFC 7662 introspection with this server's own client credentials, at every request: a revoked token stops working
     * at once (add a short cache here if Keycloak's load matters more). Timeouts keep a slow Keycloak from holding threads.
     */
    @Bean
    OpaqueTokenIntrospector introspector(McpResourceServerProperties properties) {
        SimpleClientHttpRequestFactory timeouts = new SimpleClientHttpRequestFactory();
        timeouts.setConnectTimeout(Duration.ofSeconds(2));
        timeouts.setReadTimeout(Duration.ofSeconds(5));
        RestTemplate keycloak = new RestTemplate(timeouts);
        // RFC 6749 §2.3.1: form-encode id and secret before Basic; the id is a URL with a colon.
        keycloak.getInterceptors().add(new BasicAuthenticationInterceptor(URLEncoder.encode(properties.clientId(), StandardCharsets.UTF_8),
                URLEncoder.encode(properties.clientSecret(), StandardCharsets.UTF_8)));
        return new AudienceBoundIntrospector(new SpringOpaqueTokenIntrospector(properties.introspectionUri(), keycloak),
                properties.issuer(), properties.resource());
    }
}

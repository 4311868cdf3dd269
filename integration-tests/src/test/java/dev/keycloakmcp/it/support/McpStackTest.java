package dev.keycloakmcp.it.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that runs against the {@link McpStack}: its {@code static McpStack} field is set before its
 * {@code @BeforeAll} methods run, and the class fails if Keycloak answered any of its requests with a server error.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(McpStackExtension.class)
public @interface McpStackTest {
}

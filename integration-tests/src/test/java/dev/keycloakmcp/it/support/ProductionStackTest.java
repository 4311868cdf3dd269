package dev.keycloakmcp.it.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that runs against the production-shape {@link ProductionDeployment}: its {@code static
 * ProductionDeployment} field is set before its {@code @BeforeAll} methods run, both nodes are up in one cluster
 * when it starts, and it fails if a node answered any of its requests with a server error.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ProductionStackExtension.class)
public @interface ProductionStackTest {
}

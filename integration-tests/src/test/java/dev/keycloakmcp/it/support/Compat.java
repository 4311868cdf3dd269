package dev.keycloakmcp.it.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test (or every test of a class) in the compatibility subset: {@code ./mvnw verify -Pcompat} runs the tests tagged
 * {@value #TAG} on every other Keycloak line it lists (integration-tests/pom.xml, {@code compat.lines}), besides the
 * whole suite on the pinned line. Tag what proves a capability works on a line, not every variation of it: the subset
 * runs once per line.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(Compat.TAG)
public @interface Compat {

    String TAG = "compat";
}

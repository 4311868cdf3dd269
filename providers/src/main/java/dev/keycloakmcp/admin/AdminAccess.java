package dev.keycloakmcp.admin;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import org.keycloak.services.resources.admin.AdminAuth;

/**
 * The admin's permissions, asked of the {@code AdminPermissionEvaluator} Keycloak hands an admin resource. Keycloak
 * 26.3 moved that interface to another package ({@code ...admin.permissions} to {@code ...admin.fgap}) without changing
 * its methods, so the pack calls them by name: one jar for every Keycloak line it supports. Each check throws
 * Keycloak's own {@code ForbiddenException} (403), as Keycloak's admin resources do.
 */
final class AdminAccess {

    private final Object evaluator;

    AdminAccess(Object evaluator) {
        this.evaluator = evaluator;
    }

    /** {@code view-clients} (or {@code manage-clients}, or a fine-grained permission to view clients). */
    void requireViewClients() {
        call(call(evaluator, "clients"), "requireView");
    }

    /** {@code manage-clients} (or a fine-grained permission to manage clients). */
    void requireManageClients() {
        call(call(evaluator, "clients"), "requireManage");
    }

    /** {@code view-identity-providers} (or managing them). */
    void requireViewIdentityProviders() {
        call(call(evaluator, "realm"), "requireViewIdentityProviders");
    }

    /** {@code manage-identity-providers}: trusting an IdP's assertions lets it sign users in. */
    void requireManageIdentityProviders() {
        call(call(evaluator, "realm"), "requireManageIdentityProviders");
    }

    /** {@code view-users}: who granted what is about users. */
    void requireViewUsers() {
        call(call(evaluator, "users"), "requireView");
    }

    /** The admin's username, for the server log. */
    String adminName() {
        Object auth = call(evaluator, "adminAuth");
        return auth instanceof AdminAuth admin && admin.getUser() != null ? admin.getUser().getUsername() : "an admin";
    }

    private static Object call(Object target, String method) {
        try {
            return publicMethod(target.getClass(), method).invoke(target);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException refused) {
                throw refused;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Keycloak's admin permissions have no " + method + "()", e);
        }
    }

    /** The method as a public interface declares it: the implementing classes are not public. */
    private static Method publicMethod(Class<?> type, String name) throws NoSuchMethodException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> contract : c.getInterfaces()) {
                Method found = interfaceMethod(contract, name);
                if (found != null) {
                    return found;
                }
            }
        }
        throw new NoSuchMethodException(name);
    }

    private static Method interfaceMethod(Class<?> contract, String name) {
        if (Modifier.isPublic(contract.getModifiers())) {
            try {
                return contract.getMethod(name);
            } catch (NoSuchMethodException notHere) {
                // Look further up.
            }
        }
        for (Class<?> parent : contract.getInterfaces()) {
            Method found = interfaceMethod(parent, name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}

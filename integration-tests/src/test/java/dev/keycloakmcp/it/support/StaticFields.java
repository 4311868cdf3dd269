package dev.keycloakmcp.it.support;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/** Sets a test class's static fields of one type: how the stack extensions hand their stack to every test class alike. */
final class StaticFields {

    private StaticFields() {
    }

    static <T> void inject(Class<?> testClass, Class<T> type, T value) throws IllegalAccessException {
        for (Class<?> c = testClass; c != null; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == type) {
                    field.setAccessible(true);
                    field.set(null, value);
                }
            }
        }
    }
}

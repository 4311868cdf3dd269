package dev.keycloakmcp.core;

import java.util.OptionalLong;

import org.keycloak.models.ClientModel;

/**
 * A point in time kept as a client attribute, in epoch seconds.
 * Stored with the client, so every node of a cluster reads the same value; an unreadable value counts as absent.
 */
public final class TimeAttribute {

    private TimeAttribute() {
    }

    public static OptionalLong read(ClientModel client, String attribute) {
        return parse(client.getAttribute(attribute));
    }

    static OptionalLong parse(String value) {
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}

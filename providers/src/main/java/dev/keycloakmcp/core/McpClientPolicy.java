package dev.keycloakmcp.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.idm.ClientPoliciesRepresentation;
import org.keycloak.representations.idm.ClientPolicyConditionRepresentation;
import org.keycloak.representations.idm.ClientPolicyExecutorRepresentation;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;
import org.keycloak.representations.idm.ClientProfilesRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.ClientPolicyManager;
import org.keycloak.util.JsonSerialization;

/**
 * The client profile and policy {@value #NAME} of an MCP realm on a Keycloak without the
 * authorization-endpoint check SPI ({@link KeycloakFeature#AUTHORIZATION_CHECKS}, before 26.7): Keycloak's client
 * policies then carry the pack's rules to the authorization and token endpoints. An admin sees both under Realm
 * settings, Client policies. On a line with the SPI the pack's own checks do it, and a realm moved from an older line
 * loses them, so that no rule runs twice. Every MCP realm, on every line, also has the profile and policy
 * {@value #DEVICE_GRANT_NAME} of the device grant.
 */
public final class McpClientPolicy {

    /** The name of the pack's client profile and policy: the pack adds, keeps and removes only these. */
    public static final String NAME = "keycloak-mcp";

    /** The executor of the authorization rules and the resource binding of codes and refresh tokens. */
    public static final String AUTHORIZATION_EXECUTOR = "mcp-authorization";
    /** The executor that judges a metadata-document client's request by a current copy of its document. */
    public static final String DOCUMENT_REFRESH_EXECUTOR = "mcp-metadata-document-refresh";

    /**
     * The client profile and policy of the device grant, in every MCP realm on every line: Keycloak's device
     * authorization endpoint runs no other extension point, and drops {@code resource}.
     */
    public static final String DEVICE_GRANT_NAME = "keycloak-mcp-device-grant";
    /** The executor that applies the realm's device-grant setting and keeps the MCP server with the device code. */
    public static final String DEVICE_GRANT_EXECUTOR = "mcp-device-grant";
    /** Keycloak's condition that selects every client: each executor decides which clients it concerns. */
    private static final String ANY_CLIENT = "any-client";

    private McpClientPolicy() {
    }

    /** Whether this Keycloak needs the client policy: then the executors run, else they stand aside. */
    public static boolean isNeeded() {
        return !KeycloakLine.has(KeycloakFeature.AUTHORIZATION_CHECKS);
    }

    /** Whether the realm has the pack's client policies it needs, read in the caller's transaction (no write). */
    static boolean isIn(KeycloakSession session, RealmModel realm) {
        try {
            List<ClientPolicyRepresentation> policies = session.clientPolicy().getClientPolicies(realm, false).getPolicies();
            return policies != null && (!isNeeded() || has(policies, NAME)) && has(policies, DEVICE_GRANT_NAME);
        } catch (ClientPolicyException e) {
            return false;
        }
    }

    private static boolean has(List<ClientPolicyRepresentation> policies, String name) {
        return policies.stream().anyMatch(p -> p != null && name.equals(p.getName()));
    }

    /**
     * Adds the profiles and policies to an MCP realm that needs them, removes them from one that does not: the rules'
     * where the line lacks the check SPI, the device grant's in every MCP realm.
     */
    static void align(KeycloakSession session, RealmModel realm) {
        try {
            if (isNeeded() && McpRealm.isEnabled(realm)) {
                add(session.clientPolicy(), realm, NAME, "keycloak-mcp: the MCP authorization rules (PKCE, resource, response mode, metadata "
                        + "documents) and the binding of codes and refresh tokens to their MCP server, on Keycloak before 26.7",
                        List.of(AUTHORIZATION_EXECUTOR, DOCUMENT_REFRESH_EXECUTOR));
            } else {
                remove(session.clientPolicy(), realm, NAME);
            }
            if (McpRealm.isEnabled(realm)) {
                add(session.clientPolicy(), realm, DEVICE_GRANT_NAME, "keycloak-mcp: the device grant of MCP clients (the realm's "
                        + "setting, and the MCP server kept with the device code)", List.of(DEVICE_GRANT_EXECUTOR));
            } else {
                remove(session.clientPolicy(), realm, DEVICE_GRANT_NAME);
            }
        } catch (ClientPolicyException e) {
            throw new IllegalStateException("Client policies of realm " + realm.getName() + ": " + e.getErrorDetail(), e);
        }
    }

    private static void add(ClientPolicyManager manager, RealmModel realm, String name, String description, List<String> executors)
            throws ClientPolicyException {
        ClientProfilesRepresentation profiles = manager.getClientProfiles(realm, false);
        List<ClientProfileRepresentation> profileList = listOf(profiles.getProfiles());
        if (profileList.stream().noneMatch(p -> name.equals(p.getName()))) {
            ClientProfileRepresentation profile = new ClientProfileRepresentation();
            profile.setName(name);
            profile.setDescription(description);
            profile.setExecutors(executors.stream().map(McpClientPolicy::executor).toList());
            profileList.add(profile);
            profiles.setProfiles(profileList);
            manager.updateClientProfiles(realm, profiles);
        }
        ClientPoliciesRepresentation policies = manager.getClientPolicies(realm, false);
        List<ClientPolicyRepresentation> policyList = listOf(policies.getPolicies());
        if (policyList.stream().noneMatch(p -> name.equals(p.getName()))) {
            ClientPolicyConditionRepresentation anyClient = new ClientPolicyConditionRepresentation();
            anyClient.setConditionProviderId(ANY_CLIENT);
            anyClient.setConfiguration(JsonSerialization.mapper.createObjectNode());
            ClientPolicyRepresentation policy = new ClientPolicyRepresentation();
            policy.setName(name);
            policy.setDescription("keycloak-mcp: the MCP rules; the executors only act on MCP clients and MCP servers");
            policy.setEnabled(true);
            policy.setConditions(List.of(anyClient));
            policy.setProfiles(List.of(name));
            policyList.add(policy);
            policies.setPolicies(policyList);
            manager.updateClientPolicies(realm, policies);
        }
    }

    private static void remove(ClientPolicyManager manager, RealmModel realm, String name) throws ClientPolicyException {
        // The policy first: Keycloak refuses to remove a profile a policy still names.
        ClientPoliciesRepresentation policies = manager.getClientPolicies(realm, false);
        List<ClientPolicyRepresentation> policyList = listOf(policies.getPolicies());
        if (policyList.removeIf(p -> name.equals(p.getName()))) {
            policies.setPolicies(policyList);
            manager.updateClientPolicies(realm, policies);
        }
        ClientProfilesRepresentation profiles = manager.getClientProfiles(realm, false);
        List<ClientProfileRepresentation> profileList = listOf(profiles.getProfiles());
        if (profileList.removeIf(p -> name.equals(p.getName()))) {
            profiles.setProfiles(profileList);
            manager.updateClientProfiles(realm, profiles);
        }
    }

    private static ClientPolicyExecutorRepresentation executor(String providerId) {
        ClientPolicyExecutorRepresentation executor = new ClientPolicyExecutorRepresentation();
        executor.setExecutorProviderId(providerId);
        executor.setConfiguration(JsonSerialization.mapper.createObjectNode());
        return executor;
    }

    private static <T> List<T> listOf(List<T> values) {
        return values == null ? new ArrayList<>() : new ArrayList<>(values.stream().filter(Objects::nonNull).toList());
    }
}

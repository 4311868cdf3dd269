package dev.keycloakmcp.enterprise;

import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import dev.keycloakmcp.core.Refusal;

/**
 * The realm's user an ID-JAG speaks for: the one whose account is linked to the IdP's subject (Keycloak's federated
 * identity, made by brokered sign-in or by an admin). Where the admin allows it, a user with no link may be found by an
 * email both sides verified ({@code email_verified: true} in the assertion, verified in Keycloak, unique in the realm),
 * if that user has no other account at the same IdP (else another IdP account could claim
 * a linked user by its email). No link is created and no user is: the grant never changes the realm's users.
 */
final class LinkedUser {

    private LinkedUser() {
    }

    static UserModel find(KeycloakSession session, RealmModel realm, EnterpriseIdp idp, IdentityAssertion assertion) throws Refusal {
        UserModel user = session.users().getUserByFederatedIdentity(realm, new FederatedIdentityModel(idp.alias(), assertion.subject(), null));
        if (user == null && idp.emailFallback()) {
            user = byVerifiedEmail(session, realm, idp, assertion);
        }
        if (user == null) {
            throw Refusal.invalidGrant("No user of this realm is linked to the assertion's subject at " + idp.alias()).loggedAs("user_not_found");
        }
        if (!user.isEnabled()) {
            throw Refusal.invalidGrant("The user is disabled").loggedAs("user_disabled");
        }
        // As Keycloak's own grants without a browser: an action the user must take first (a new password, terms to
        // accept) cannot be taken here, and a token would skip it.
        if (user.getRequiredActionsStream().findAny().isPresent()) {
            throw Refusal.invalidGrant("The user's account is not fully set up: they must sign in through the browser first")
                    .loggedAs("resolve_required_actions");
        }
        return user;
    }

    private static UserModel byVerifiedEmail(KeycloakSession session, RealmModel realm, EnterpriseIdp idp, IdentityAssertion assertion) {
        // An email names one user only where the realm keeps emails unique.
        if (assertion.email().isEmpty() || !assertion.emailVerified().orElse(false) || realm.isDuplicateEmailsAllowed()) {
            return null;
        }
        UserModel user;
        try {
            user = session.users().getUserByEmail(realm, assertion.email().get());
        } catch (ModelDuplicateException twoUsers) {
            return null;
        }
        if (user == null || !user.isEmailVerified() || session.users().getFederatedIdentity(realm, user, idp.alias()) != null) {
            return null;
        }
        return user;
    }
}

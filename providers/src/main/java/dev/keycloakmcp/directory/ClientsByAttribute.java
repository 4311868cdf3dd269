package dev.keycloakmcp.directory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.Locale;

import jakarta.persistence.EntityManager;

/**
 * The ids of a realm's clients with one attribute value, through the index Keycloak keeps for attribute searches
 * ({@code IDX_CLIENT_ATT_BY_NAME_VALUE}). Keycloak's own search refuses attributes not configured as searchable, and a
 * plain comparison misses the index where it indexes an expression: on PostgreSQL it is {@code substr(VALUE, 1, 255)}
 * (a scan of every client's attributes otherwise, 0.6 s at 100,000 clients), on MySQL and MariaDB a prefix of
 * {@code VALUE}; Oracle compares its LOB with {@code DBMS_LOB.COMPARE}. As Keycloak's search, the SQL depends on the
 * database, read from the connection.
 */
final class ClientsByAttribute {

    private static final String SQL = "select c.ID from {h-schema}CLIENT_ATTRIBUTES a"
            + " join {h-schema}CLIENT c on c.ID = a.CLIENT_ID where c.REALM_ID = ? and a.NAME = ? and %s order by c.CLIENT_ID";

    private ClientsByAttribute() {
    }

    /** Values longer than 255 characters are not looked for: the pack's markers are short. */
    @SuppressWarnings("unchecked")
    static List<String> ids(EntityManager entities, String realmId, String name, String value, int max) {
        String product = databaseProduct(entities).toLowerCase(Locale.ROOT);
        String valueIs = product.contains("postgres") ? "substr(a.VALUE, 1, 255) = ?"
                : product.contains("oracle") ? "DBMS_LOB.COMPARE(a.VALUE, TO_CLOB(?)) = 0"
                : "a.VALUE = ?";
        return entities.createNativeQuery(String.format(SQL, valueIs)).setParameter(1, realmId).setParameter(2, name)
                .setParameter(3, value).setMaxResults(max).getResultList();
    }

    /**
     * The JDBC database product name of the connection Keycloak's persistence uses. Through Hibernate's
     * {@code Session.doReturningWork}, called by name: the pack compiles against no Hibernate version (Keycloak 26.2
     * ships 6.6, 26.7 ships 7.2; the method is the same).
     */
    private static String databaseProduct(EntityManager entities) {
        try {
            Class<?> session = Class.forName("org.hibernate.Session", false, entities.getClass().getClassLoader());
            Class<?> work = Class.forName("org.hibernate.jdbc.ReturningWork", false, session.getClassLoader());
            Object readProduct = Proxy.newProxyInstance(work.getClassLoader(), new Class<?>[] { work },
                    (proxy, method, args) -> "execute".equals(method.getName())
                            ? ((Connection) args[0]).getMetaData().getDatabaseProductName() : null);
            return String.valueOf(session.getMethod("doReturningWork", work).invoke(entities.unwrap(session), readProduct));
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Could not read the database product", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Keycloak's persistence is not Hibernate's", e);
        }
    }
}

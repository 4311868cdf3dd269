package dev.keycloakmcp.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Grows a realm to a given number of clients in minutes rather than hours: copies of one template client (a real MCP
 * registration, so every table Keycloak reads has what a registration writes) made with SQL on PostgreSQL while
 * Keycloak runs. A share of the copies are self-registered MCP clients (with their row in the pack's client
 * directory), the rest ordinary clients (their {@code mcp.*} attributes left out), as in a realm that serves both.
 * Keycloak has never loaded the copies, so no cache holds them.
 */
final class ClientFill {

    /** Client id prefixes of the copies; a copy's number follows. */
    static final String MCP_PREFIX = "bench-mcp-";
    static final String ORDINARY_PREFIX = "bench-app-";
    /** Tables keyed by the client's id whose rows a copy gets too (those of them this Keycloak line has). */
    private static final List<String> CLIENT_TABLES = List.of("client_attributes", "redirect_uris", "web_origins", "client_scope_client");

    private final Connection db;
    private final String realmId;
    private final String templateId;
    private int made;

    private ClientFill(Connection db, String realmId, String templateId) {
        this.db = db;
        this.realmId = realmId;
        this.templateId = templateId;
    }

    /** A fill of realm {@code realm} from its client {@code templateClientId}. */
    static ClientFill of(Connection db, String realm, String templateClientId) throws SQLException {
        String realmId = single(db, "select id from realm where name = ?", realm);
        return new ClientFill(db, realmId, single(db, "select id from client where realm_id = ? and client_id = ?", realmId, templateClientId));
    }

    /** The realm's clients, as Keycloak counts them. */
    long clients() throws SQLException {
        return Long.parseLong(single(db, "select count(*) from client where realm_id = ?", realmId));
    }

    /**
     * Adds clients until the realm holds {@code size}; a share {@code mcpShare} of those added are self-registered MCP
     * clients last used at {@code lastUsed} (epoch seconds). Returns the database ids of the MCP clients added.
     */
    List<String> growTo(long size, double mcpShare, long lastUsed) throws SQLException {
        long missing = size - clients();
        List<String> mcpIds = new ArrayList<>();
        if (missing <= 0) {
            return mcpIds;
        }
        boolean autoCommit = db.getAutoCommit();
        db.setAutoCommit(false);
        try {
            int mcp = (int) Math.round(missing * mcpShare);
            mcpIds.addAll(copy(MCP_PREFIX, mcp, true, lastUsed));
            copy(ORDINARY_PREFIX, (int) (missing - mcp), false, lastUsed);
            db.commit();
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(autoCommit);
        }
        try (Statement analyze = db.createStatement()) {
            // Fresh statistics, as autovacuum would give them a little later.
            analyze.execute("analyze");
        }
        return mcpIds;
    }

    /** Marks the MCP clients {@code ids} last used at {@code lastUsed}, in their attribute and in the client directory. */
    void lastUsed(List<String> ids, long lastUsed) throws SQLException {
        try (PreparedStatement attribute = db.prepareStatement("update client_attributes set value = ? where client_id = any (?) and name = 'mcp.last-used'");
                PreparedStatement directory = db.prepareStatement("update mcp_client set last_used = ? where id = any (?)")) {
            java.sql.Array array = db.createArrayOf("varchar", ids.toArray());
            attribute.setString(1, String.valueOf(lastUsed));
            attribute.setArray(2, array);
            attribute.executeUpdate();
            directory.setLong(1, lastUsed);
            directory.setArray(2, array);
            directory.executeUpdate();
        }
    }

    private List<String> copy(String prefix, int count, boolean mcp, long lastUsed) throws SQLException {
        if (count <= 0) {
            return List.of();
        }
        int from = made + 1;
        int to = made + count;
        made = to;
        // The copy's id and client id from the series number; every other column as the template has it.
        String idExpression = "'" + prefix + "' || lpad(g::text, 9, '0')";
        List<String> columns = columns("client");
        String select = String.join(", ", columns.stream().map(c -> switch (c) {
            case "id" -> idExpression;
            case "client_id" -> "'" + prefix + "' || g";
            default -> "t." + c;
        }).toList());
        execute("insert into client (" + String.join(", ", columns) + ") select " + select
                + " from client t, generate_series(?, ?) g where t.id = ?", from, to, templateId);
        for (String table : CLIENT_TABLES) {
            List<String> tableColumns = columns(table);
            if (tableColumns.isEmpty()) {
                continue;
            }
            String tableSelect = String.join(", ", tableColumns.stream().map(c -> c.equals("client_id") ? idExpression : "t." + c).toList());
            // An ordinary copy has no MCP attribute; an MCP copy gets its own last use below.
            String attributes = !table.equals("client_attributes") ? "" : mcp ? " and t.name <> 'mcp.last-used'" : " and t.name not like 'mcp.%'";
            execute("insert into " + table + " (" + String.join(", ", tableColumns) + ") select " + tableSelect + " from " + table
                    + " t, generate_series(?, ?) g where t.client_id = ?" + attributes, from, to, templateId);
        }
        if (!mcp) {
            return List.of();
        }
        execute("insert into client_attributes (client_id, name, value) select " + idExpression + ", 'mcp.last-used', ?"
                + " from generate_series(?, ?) g", String.valueOf(lastUsed), from, to);
        execute("insert into mcp_client (id, realm_id, kind, host, created, last_used) select " + idExpression
                + ", ?, 'dynamic', null, ?, ? from generate_series(?, ?) g", realmId, lastUsed, lastUsed, from, to);
        List<String> ids = new ArrayList<>(count);
        for (int i = from; i <= to; i++) {
            ids.add(prefix + String.format("%09d", i));
        }
        return ids;
    }

    /** The columns of {@code table} in this database (none if the table does not exist). */
    private List<String> columns(String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement(
                "select column_name from information_schema.columns where table_schema = current_schema() and table_name = ? order by ordinal_position")) {
            query.setString(1, table);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    columns.add(rows.getString(1));
                }
            }
        }
        return columns;
    }

    private void execute(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    private static String single(Connection db, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("No row for " + sql);
                }
                return rows.getString(1);
            }
        }
    }
}

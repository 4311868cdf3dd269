package dev.keycloakmcp.housekeeping;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.scheduled.ScheduledTaskRunner;
import org.keycloak.timer.TimerProvider;

/**
 * The {@code mcp-client-usage} event listener's factory, which also schedules the {@link UnusedClientReaper}.
 * The listener is added to a realm's event listeners; the server-wide option
 * {@code --spi-events-listener--mcp-client-usage--reaper-interval} sets the seconds between runs (default 3600).
 */
public class ClientUsageEventListenerFactory implements EventListenerProviderFactory {

    public static final String ID = "mcp-client-usage";
    static final String REAPER_INTERVAL = "reaper-interval";
    static final int DEFAULT_REAPER_INTERVAL = 3600;

    private int reaperInterval = DEFAULT_REAPER_INTERVAL;

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new ClientUsageEventListener(session);
    }

    @Override
    public void init(Config.Scope config) {
        reaperInterval = Math.max(1, config.getInt(REAPER_INTERVAL, DEFAULT_REAPER_INTERVAL));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        KeycloakModelUtils.runJobInTransaction(factory, session -> session.getProvider(TimerProvider.class).schedule(
                new ScheduledTaskRunner(factory, new UnusedClientReaper(reaperInterval)), reaperInterval * 1000L,
                UnusedClientReaper.TASK_NAME));
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(REAPER_INTERVAL).type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(DEFAULT_REAPER_INTERVAL)
                .helpText("Seconds between two runs of the reaper that removes unused self-registered MCP clients (registered or from a metadata document).").add()
                .build();
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}

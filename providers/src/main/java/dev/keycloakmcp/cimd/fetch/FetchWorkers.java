package dev.keycloakmcp.cimd.fetch;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The server's threads for document fetches besides the request's own: one for deadlines, a few for name lookups.
 * Created and shut down with the provider factory. Lookups get threads of their own because the system resolver
 * cannot be interrupted; both pools are bounded, so that a crowd of fetches cannot multiply threads.
 */
public final class FetchWorkers implements AutoCloseable {

    /** Name lookups at once; more are refused until one ends. */
    static final int MAX_LOOKUPS = 8;

    final ScheduledExecutorService deadlines;
    final ExecutorService lookups;

    public FetchWorkers() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemon("mcp-document-deadline"));
        // A fetch that ends in time cancels its deadline, which then leaves the queue at once.
        scheduler.setRemoveOnCancelPolicy(true);
        this.deadlines = scheduler;
        this.lookups = new ThreadPoolExecutor(0, MAX_LOOKUPS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), daemon("mcp-document-dns"),
                new ThreadPoolExecutor.AbortPolicy());
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        lookups.shutdownNow();
    }
}

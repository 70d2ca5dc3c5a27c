package dk.sf1820.packager;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** Runs the retention sweep of the staging area at start-up and then every interval; {@code 0s} turns it off. */
class StagingRetentionSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StagingRetentionSchedule.class);

    private final StagingHousekeeping housekeeping;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    StagingRetentionSchedule(StagingHousekeeping housekeeping, Duration interval) {
        this.housekeeping = housekeeping;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (interval.isZero() || scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sf1820-staging-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::sweep, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            int deleted = housekeeping.sweep();
            if (deleted > 0) {
                log.info("retention sweep deleted={}", deleted);
            }
        } catch (RuntimeException e) {
            // Kafka or the disk away: the next round tries again, nothing was deleted without its event.
            log.warn("retention sweep failed reason=\"{}\"", e.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}

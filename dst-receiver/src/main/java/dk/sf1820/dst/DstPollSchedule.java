package dk.sf1820.dst;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs {@link DstReceiver#pollOnce()} on one thread, with {@code poll-interval} between the end of
 * one round and the start of the next, from context start until context stop. A failed round is
 * logged and the next one tries again; stopping lets a running round finish.
 */
class DstPollSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DstPollSchedule.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final DstReceiver receiver;
    private final Duration interval;
    private ScheduledExecutorService executor;

    DstPollSchedule(DstReceiver receiver, Duration interval) {
        this.receiver = receiver;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (interval.isZero() || interval.isNegative() || executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "dst-receiver-poll");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::pollSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("dst-receiver polling every {}", interval);
    }

    private void pollSafely() {
        try {
            receiver.pollOnce();
        } catch (Exception e) {
            // An exception escaping a scheduled task would cancel every later round.
            log.warn("dst-receiver round failed, next in {}: {}", interval, e.getMessage(), e);
        }
    }

    @Override
    public synchronized void stop() {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("dst-receiver round still running after {}, interrupting it", STOP_GRACE);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        executor = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}

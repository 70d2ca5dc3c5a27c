package dk.sf1820.stage;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs one polling round of an SFTP folder (receipts in a sender's IN, deliveries in DST's IN) on
 * its own thread, with a fixed delay between the end of one round and the start of the next, from
 * context start until context stop. Fixed delay, so a slow round (a server in its service window)
 * never piles up behind itself; a failed round is logged and the next one tries again, because an
 * exception escaping a scheduled task would cancel every later round; stopping lets a running round
 * finish for a grace period, then interrupts it. An interval of zero means rounds only on demand.
 *
 * <p>{@link #nudge()} runs a round now, on the same thread, so a nudged round never overlaps a scheduled
 * one; nudges that arrive while one is still waiting to run are folded into it.
 */
public class PollSchedule implements SmartLifecycle {

    /** A polling round; may throw, the schedule carries on. */
    @FunctionalInterface
    public interface Round {
        void run() throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(PollSchedule.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final String name;
    private final Round round;
    private final Duration interval;
    private final Duration initialDelay;
    private final int phase;
    private final AtomicBoolean nudgePending = new AtomicBoolean();
    private ScheduledExecutorService executor;

    /**
     * @param name names the thread and the log lines, e.g. {@code dst-receiver-poll}
     * @param round the polling round
     * @param interval pause between rounds; zero or negative disables the schedule
     * @param initialDelay pause before the first round
     * @param phase the lifecycle phase: a schedule that needs another component running starts after it
     */
    public PollSchedule(String name, Round round, Duration interval, Duration initialDelay, int phase) {
        this.name = name;
        this.round = round;
        this.interval = interval;
        this.initialDelay = initialDelay;
        this.phase = phase;
    }

    @Override
    public synchronized void start() {
        if (interval.isZero() || interval.isNegative() || executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(
                this::runSafely, initialDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("polling started schedule={} interval={}", name, interval);
    }

    /**
     * Runs a round as soon as the running one (if any) has finished, without waiting for the interval: for
     * something that knows there is work now (a file system event). Does nothing while the schedule is stopped.
     */
    public synchronized void nudge() {
        if (executor == null || !nudgePending.compareAndSet(false, true)) {
            return;
        }
        executor.execute(() -> {
            nudgePending.set(false);
            runSafely();
        });
    }

    private void runSafely() {
        try {
            round.run();
        } catch (Exception e) {
            log.warn("polling round failed schedule={} nextIn={}: {}", name, interval, e.getMessage(), e);
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
                log.warn("polling round still running after {}, interrupting it schedule={}", STOP_GRACE, name);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        executor = null;
        log.info("polling stopped schedule={}", name);
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    @Override
    public int getPhase() {
        return phase;
    }
}

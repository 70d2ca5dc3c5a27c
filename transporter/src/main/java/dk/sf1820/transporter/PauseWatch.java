package dk.sf1820.transporter;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices that this whole process stood still (a VM pause, a long GC, SIGSTOP) for so long that the
 * consumer group may have given its partitions to another instance meanwhile: the Kafka heartbeats stood
 * still too. A daemon thread ticks every few milliseconds; a gap between two ticks longer than the
 * threshold is a pause, and so is a last tick that long ago (the ticker may not have run yet after the
 * process resumed). A transfer asks before each step the platform cannot take back whether a pause fell
 * into its attempt; if one did, it stops and is tried again, and the retry's ledger lookup then sees what
 * the other instance did.
 */
public class PauseWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PauseWatch.class);

    /** For transporters built without one: never sees a pause. */
    static final PauseWatch NONE = new PauseWatch(Duration.ofDays(36_500), System::nanoTime);

    private final long thresholdNanos;
    private final LongSupplier nanoTime;
    private volatile long lastTick;
    /** When the last pause was noticed (its end), 0 before any. */
    private volatile long pauseSeenAt;

    private Thread ticker;

    PauseWatch(Duration threshold, LongSupplier nanoTime) {
        this.thresholdNanos = threshold.toNanos();
        this.nanoTime = nanoTime;
        this.lastTick = nanoTime.getAsLong();
    }

    /**
     * @param threshold the pause that may have cost this process its partitions: less than the session
     *        timeout, since the last heartbeat before the pause may lie a heartbeat interval back
     */
    public static PauseWatch start(Duration threshold) {
        PauseWatch watch = new PauseWatch(threshold, System::nanoTime);
        long every = Math.max(1, Math.min(100, threshold.toMillis() / 20));
        watch.ticker = new Thread(
                () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        watch.tick();
                        try {
                            Thread.sleep(every);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "sf1820-pause-watch");
        watch.ticker.setDaemon(true);
        watch.ticker.start();
        return watch;
    }

    void tick() {
        long now = nanoTime.getAsLong();
        long gap = now - lastTick;
        if (gap > thresholdNanos) {
            pauseSeenAt = now == 0 ? 1 : now;
            log.warn(
                    "this process stood still pausedMillis={} thresholdMillis={}: partitions may have moved to"
                            + " another instance; transfers in progress stop before their next irreversible step",
                    gap / 1_000_000,
                    thresholdNanos / 1_000_000);
        }
        lastTick = now;
    }

    /** The clock {@link #pausedSince} compares with. */
    long now() {
        return nanoTime.getAsLong();
    }

    /** Whether the process stood still (longer than the threshold) since {@code since}, a {@link #now()}. */
    boolean pausedSince(long since) {
        long seen = pauseSeenAt;
        return nanoTime.getAsLong() - lastTick > thresholdNanos || (seen != 0 && seen - since > 0);
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.interrupt();
        }
    }
}

package dk.sf1820.receipts;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/** Runs {@link ReceiptPoller#pollOnce()} every poll interval on its own thread, from start to stop. */
class ReceiptPollSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReceiptPollSchedule.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final ReceiptPoller poller;
    private final Duration interval;
    private ScheduledExecutorService executor;

    ReceiptPollSchedule(ReceiptPoller poller, Duration interval) {
        this.poller = poller;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (executor != null || interval.isZero()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sf1820-receipt-poller");
            thread.setDaemon(true);
            return thread;
        });
        // fixed delay: a slow poll (an SFTP server in its service window) never piles up behind itself
        executor.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("receipt polling started interval={} senders={}", interval, poller.senders());
    }

    private void poll() {
        try {
            poller.pollOnce();
        } catch (RuntimeException e) {
            // an exception would end the schedule for good; the next poll may well succeed
            log.error("receipt poll failed: {}", e.getMessage(), e);
        }
    }

    @Override
    public synchronized void stop() {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        executor = null;
        log.info("receipt polling stopped");
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    @Override
    public int getPhase() {
        // after the correlation streams: started later, stopped earlier
        return CorrelationStreams.PHASE + 1;
    }
}

package dk.sf1820.sftp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The sessions of one account: at most {@code limit} in use at once (the platform counts sessions per
 * user, and a municipality's line should not be flooded), and the idle ones kept for reuse for a
 * while, newest first, so a burst of transfers logs in once instead of once per file.
 */
final class AccountSessions {

    private record Idle(SftpConnection connection, long since) {}

    private final SftpAccount account;
    private final int limit;
    private final Semaphore permits;
    private final Deque<Idle> idle = new ArrayDeque<>();

    AccountSessions(SftpAccount account, int limit) {
        this.account = account;
        this.limit = limit;
        this.permits = new Semaphore(limit, true);
    }

    /** Waits up to {@code timeout} for a free slot; a retry later is the cure when none frees up. */
    void acquire(Duration timeout) throws SftpException {
        try {
            if (!permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SftpException(
                        "All " + limit + " sessions of " + account.user() + "@" + account.server() + " stayed busy for "
                                + timeout + " (sf1820.sftp.max-sessions-per-account)",
                        true,
                        null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SftpException(
                    "Interrupted waiting for a session of " + account.user() + "@" + account.server(), true, e);
        }
    }

    void release() {
        permits.release();
    }

    /**
     * An idle session younger than {@code maxIdle} that still answers, or null. Sessions that are too
     * old or dead (server restarted, connection dropped in a service window) are closed on the way.
     */
    SftpConnection reusable(Duration maxIdle) {
        long now = System.nanoTime();
        while (true) {
            Idle candidate;
            synchronized (this) {
                candidate = idle.pollFirst();
            }
            if (candidate == null) {
                return null;
            }
            if (now - candidate.since() <= maxIdle.toNanos()
                    && candidate.connection().answers()) {
                return candidate.connection();
            }
            candidate.connection().disconnect();
        }
    }

    synchronized void giveBack(SftpConnection connection) {
        idle.addFirst(new Idle(connection, System.nanoTime()));
    }

    /** Closes every idle session; sessions in use close when their holder is done. */
    void closeIdle() {
        while (true) {
            Idle candidate;
            synchronized (this) {
                candidate = idle.pollFirst();
            }
            if (candidate == null) {
                return;
            }
            candidate.connection().disconnect();
        }
    }
}

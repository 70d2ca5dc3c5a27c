package dk.sf1820.app;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.IntSupplier;

/**
 * {@code ./sf1820 status --watch[=SECONDS]}: the status table again every few seconds until Ctrl-C (or an
 * interrupt) stops it. On a terminal the screen is cleared first, so the table stays in place; into a
 * file or a pipe each table follows the last under a time stamp.
 */
final class StatusWatch {

    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    private final PrintStream out;
    private final Duration every;
    private final boolean terminal;

    StatusWatch(PrintStream out, int seconds) {
        if (seconds < 1) {
            throw new IllegalArgumentException("--watch takes a whole number of seconds, at least 1, got " + seconds);
        }
        this.out = out;
        this.every = Duration.ofSeconds(seconds);
        this.terminal = out == System.out && System.console() != null;
    }

    /** @return the first non-zero status of a refresh, or 0 when stopped by an interrupt */
    int run(IntSupplier status) {
        while (!Thread.currentThread().isInterrupted()) {
            out.print(terminal ? CLEAR_SCREEN : System.lineSeparator());
            out.println("sf1820 status at " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ", every "
                    + every.toSeconds() + " s; Ctrl-C stops");
            int code;
            try {
                code = status.getAsInt();
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return 0; // stopped while reading: as stopped while waiting
                }
                throw e;
            }
            out.flush();
            if (code != 0) {
                return code;
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return 0;
    }
}

package dk.sf1820.app;

import dk.sf1820.schemas.avro.ByteProgress;
import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.DeliveryTimedOut;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.ReceiptReceived;
import dk.sf1820.schemas.avro.TransferFailed;
import dk.sf1820.schemas.avro.TransferUploaded;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What {@code submit --wait} shows while it follows a transfer: a bar each for packaging and upload
 * (bytes, percent, rate), the wait for the platform's receipt, and the outcome. On a terminal the bar
 * is redrawn in place; into a file or a pipe each update is a line of its own.
 */
final class SubmitProgress {

    private static final int BAR_WIDTH = 24;

    private final PrintStream err;
    private final boolean terminal;
    private final Instant submittedAt;
    private final long extractBytes;
    private Phase phase = Phase.PACKAGING;
    private Instant phaseStartedAt;
    /** When the stage began its work on the file, as its progress events say; null before the first. */
    private Instant workStartedAt;

    private long drawnDone = -1;
    private boolean lineOpen;

    enum Phase {
        PACKAGING("packaging"),
        UPLOADING("uploading"),
        AWAITING_RECEIPT("awaiting receipt");

        final String label;

        Phase(String label) {
            this.label = label;
        }
    }

    SubmitProgress(PrintStream err, boolean terminal, long extractBytes, Instant submittedAt) {
        this.err = err;
        this.terminal = terminal;
        this.extractBytes = extractBytes;
        this.submittedAt = submittedAt;
        this.phaseStartedAt = submittedAt;
    }

    /** Says what it waits for first: without a running packager nothing follows, and the user should know why. */
    void started(String transferId) {
        line("following        " + transferId + ": waiting for the packager (./sf1820 run, or a packager stage)");
    }

    /** Bytes a stage has done of this transfer's file, as its progress events tell. */
    void bytes(Phase of, ByteProgress event) {
        if (of == phase) {
            workStartedAt = event.getStartedAt();
            draw(event.getBytesDone(), event.getBytesTotal(), event.getOccurredAt());
        }
    }

    void packaged(PackageReady event) {
        Instant at = event.getOccurredAt();
        complete(extractBytes, at);
        line(String.format(
                Locale.ROOT,
                "packaged         %s → %s zip %s in %s",
                Bytes.of(extractBytes),
                Bytes.of(event.getSizeBytes()),
                event.getFileName(),
                seconds(phaseStartedAt, at)));
        next(Phase.UPLOADING, at);
    }

    void uploaded(TransferUploaded event) {
        Instant at = event.getOccurredAt();
        if (workStartedAt == null) {
            workStartedAt = at.minusMillis(event.getDurationMillis());
        }
        complete(event.getSizeBytes(), at);
        line(String.format(
                Locale.ROOT,
                "uploaded         %s to %s:%s, trigger written; %.1f s in all",
                Bytes.of(event.getSizeBytes()),
                event.getServer(),
                event.getRemoteDataPath(),
                event.getDurationMillis() / 1000.0));
        next(Phase.AWAITING_RECEIPT, at);
    }

    /**
     * The phase's event says it is done: its bar shows 100% even when the last progress event comes later
     * (another topic, read in any order) or was lost.
     */
    private void complete(long total, Instant at) {
        if (drawnDone < total) {
            draw(total, total, at);
        }
        finishLine();
    }

    private void draw(long done, long total, Instant at) {
        Instant from = workStartedAt == null ? phaseStartedAt : workStartedAt;
        double seconds = Math.max(0.001, Duration.between(from, at).toMillis() / 1000.0);
        drawnDone = done;
        draw(
                String.format(
                        Locale.ROOT,
                        "%-16s %s %3d%%  %s of %s  %s/s",
                        phase.label,
                        bar(done, total),
                        percent(done, total),
                        Bytes.of(done),
                        Bytes.of(total),
                        Bytes.of((long) (done / seconds))),
                false);
    }

    void uploadFailed(TransferFailed event) {
        finishLine();
        line("upload failed    after " + event.getAttempts() + " attempt(s): " + event.getCause());
    }

    void receipt(ReceiptReceived event) {
        finishLine();
        line("receipt          " + (event.getSuccess() ? "positive" : "negative") + " " + event.getReceiptPath()
                + " after " + seconds(phaseStartedAt, event.getOccurredAt()));
    }

    void delivered(DeliverySucceeded event) {
        outcome("DELIVERED " + event.getFileName());
    }

    void failed(DeliveryFailed event) {
        outcome("FAILED " + event.getFileName() + ": "
                + event.getErrors().stream()
                        .map(e -> e.getCode() + " " + e.getCodeDescription() + ": " + e.getDescription())
                        .collect(Collectors.joining("; ")));
    }

    void timedOut(DeliveryTimedOut event) {
        outcome("TIMED OUT " + event.getFileName() + ": no receipt after "
                + ReadableDurations.of(Duration.ofMillis(event.getWaitedMillis())));
    }

    void deadLettered(String topic, String reason) {
        outcome("FAILED: dead-lettered on " + topic + ": " + reason);
    }

    /** Nothing new: on a terminal the waiting line shows the time passing. */
    void tick() {
        if (terminal && phase == Phase.AWAITING_RECEIPT) {
            draw(phase.label + " " + seconds(phaseStartedAt, Instant.now()), false);
        }
    }

    private void outcome(String text) {
        finishLine();
        line("outcome          " + text + " (" + seconds(submittedAt, Instant.now()) + " after submit)");
    }

    private void next(Phase following, Instant at) {
        phase = following;
        phaseStartedAt = at;
        workStartedAt = null;
        drawnDone = -1;
        if (following == Phase.AWAITING_RECEIPT) {
            draw(following.label + " (the platform's trigger scan, then its receipt in IN)", true);
        }
    }

    private void draw(String text, boolean newLine) {
        if (terminal) {
            err.print("\r\033[K" + text);
            lineOpen = true;
        } else {
            err.println(text);
        }
        if (newLine) {
            finishLine();
        }
        err.flush();
    }

    private void line(String text) {
        err.println(text);
        err.flush();
    }

    private void finishLine() {
        if (lineOpen) {
            err.println();
            lineOpen = false;
        }
    }

    private static String bar(long done, long total) {
        int filled = (int) (BAR_WIDTH * Math.min(1.0, total == 0 ? 1.0 : (double) done / total));
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
    }

    private static int percent(long done, long total) {
        return total == 0 ? 100 : (int) Math.min(100, done * 100 / total);
    }

    private static String seconds(Instant from, Instant to) {
        return String.format(
                Locale.ROOT, "%.1f s", Math.max(0, Duration.between(from, to).toMillis()) / 1000.0);
    }

    /** Byte counts as people read them: 1.5 MB, 230 kB (powers of 1000, as file managers show them). */
    static final class Bytes {
        private Bytes() {}

        static String of(long bytes) {
            if (bytes < 1000) {
                return bytes + " B";
            }
            String units = "kMGT";
            double value = bytes;
            int unit = -1;
            while (value >= 1000 && unit < units.length() - 1) {
                value /= 1000;
                unit++;
            }
            return String.format(Locale.ROOT, "%.1f %sB", value, units.charAt(unit));
        }
    }
}

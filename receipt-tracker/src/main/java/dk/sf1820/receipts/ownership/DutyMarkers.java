package dk.sf1820.receipts.ownership;

import dk.sf1820.schemas.HousekeepingAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.utils.Utils;

/** Where a sender's duties live on the duties topic, and how a done once-only duty is named there. */
final class DutyMarkers {

    /** The value of a done duty's marker; a tombstone (null) withdraws it, as compaction would. */
    static final String DONE = "done";
    /** Far above any real marker (a sender, a duty, a path on the platform, a time and a size). */
    static final int MAX_KEY_LENGTH = 2048;

    /** {@code <sender> DEADLINE_NEAR <path>@<modified>:<size>}, as the sweep names a file version's report. */
    private static final Pattern MARKER = Pattern.compile(
            "(\\S+) (" + HousekeepingAction.DEADLINE_NEAR.name() + ") (\\S.*)@([0-9T:.\\-]+Z):(\\d{1,19})");

    private DutyMarkers() {}

    /** The sender's partition: Kafka's own key hash, so it is stable across instances, restarts and versions. */
    static int partitionOf(String sender, int partitions) {
        return Utils.toPositive(Utils.murmur2(sender.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The record key of a done duty: the sender, then the duty's own identity. */
    static String key(String sender, String duty) {
        return sender + " " + duty;
    }

    /** A marker read back from the duties topic: a duty done, or ({@code done} false) a done duty withdrawn. */
    record Marker(String key, boolean done) {}

    /**
     * Reads a record of the duties topic as a duty marker. Anyone who can write to the topic can write
     * anything to it, and a marker suppresses a report for good, so only what this tracker writes is taken.
     *
     * @param partition the partition the record was read from
     * @throws RefusedMarkerException naming the rule the record breaks
     */
    static Marker read(int partition, int partitions, String key, String value) {
        if (key == null) {
            throw new RefusedMarkerException("it has no key");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new RefusedMarkerException("its key is " + key.length() + " characters, over " + MAX_KEY_LENGTH);
        }
        Matcher marker = MARKER.matcher(key);
        if (!marker.matches()) {
            throw new RefusedMarkerException(
                    "its key '" + abbreviated(key) + "' is not '<sender> DEADLINE_NEAR <path>@<modified>:<size>'");
        }
        try {
            Instant.parse(marker.group(4));
        } catch (DateTimeParseException e) {
            throw new RefusedMarkerException("its key's time '" + marker.group(4) + "' is not an ISO-8601 instant");
        }
        int expected = partitionOf(marker.group(1), partitions);
        if (expected != partition) {
            throw new RefusedMarkerException(
                    "sender " + marker.group(1) + " belongs to partition " + expected + ", not " + partition);
        }
        if (value != null && !value.equals(DONE)) {
            throw new RefusedMarkerException("its value is '" + abbreviated(value) + "', not '" + DONE + "'");
        }
        return new Marker(key, value != null);
    }

    /** A record's text as a log line may quote it: no longer than a line, no control characters. */
    static String abbreviated(String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    /** A record of the duties topic that is no marker this tracker wrote. */
    static final class RefusedMarkerException extends RuntimeException {
        RefusedMarkerException(String reason) {
            super(reason);
        }
    }
}

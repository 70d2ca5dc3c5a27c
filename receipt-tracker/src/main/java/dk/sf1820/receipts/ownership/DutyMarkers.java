package dk.sf1820.receipts.ownership;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/** Where a sender's duties live on the duties topic, and how a done once-only duty is named there. */
final class DutyMarkers {

    private DutyMarkers() {}

    /** The sender's partition: Kafka's own key hash, so it is stable across instances, restarts and versions. */
    static int partitionOf(String sender, int partitions) {
        return Utils.toPositive(Utils.murmur2(sender.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The record key of a done duty: the sender, then the duty's own identity. */
    static String key(String sender, String duty) {
        return sender + " " + duty;
    }
}

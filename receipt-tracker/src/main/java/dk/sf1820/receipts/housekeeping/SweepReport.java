package dk.sf1820.receipts.housekeeping;

import dk.sf1820.kafka.PipelineMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one housekeeping sweep of the senders' folders did.
 *
 * @param orphansDeleted data files deleted from OUT because no trigger came, as {@code user:/OUT/name}
 * @param nearDeadline files of ours the platform will soon delete (30 days), as {@code user:/DIR/name}
 * @param failedSenders senders whose folders could not be swept, with the reason
 * @param skipped true when the whole sweep was skipped because the tracker's state was not ready
 * @param swept the senders whose folders this instance swept, being their owner
 */
public record SweepReport(
        List<String> orphansDeleted,
        List<String> nearDeadline,
        Map<String, String> failedSenders,
        boolean skipped,
        List<String> swept) {

    /**
     * Reports the files near the deadline, for the senders swept only: a sender another instance owns is
     * that instance's to report. A skipped sweep leaves the figures as they were, and so does a failed
     * sweep those of its sender.
     */
    public void recordIn(PipelineMetrics metrics) {
        if (!skipped) {
            metrics.nearDeadline(nearDeadline, swept, failedSenders.keySet());
        }
    }

    static SweepReport skippedSweep() {
        return new SweepReport(List.of(), List.of(), Map.of(), true, List.of());
    }

    /** Collects a sweep's results as it goes. */
    static final class Builder {
        private final List<String> orphansDeleted = new ArrayList<>();
        private final List<String> nearDeadline = new ArrayList<>();
        private final Map<String, String> failedSenders = new TreeMap<>();
        private final List<String> swept = new ArrayList<>();

        void swept(String sender) {
            swept.add(sender);
        }

        void orphanDeleted(String file) {
            orphansDeleted.add(file);
        }

        void nearDeadline(String file) {
            nearDeadline.add(file);
        }

        void failed(String sender, String reason) {
            failedSenders.put(sender, reason);
        }

        SweepReport build() {
            return new SweepReport(
                    List.copyOf(orphansDeleted),
                    List.copyOf(nearDeadline),
                    Map.copyOf(failedSenders),
                    false,
                    List.copyOf(swept));
        }
    }
}

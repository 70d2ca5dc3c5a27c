package dk.sf1820.receipts.poll;

import dk.sf1820.kafka.PipelineMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one poll of the senders' IN folders did.
 *
 * @param published receipts turned into {@code ReceiptReceived} and deleted, as {@code user:/IN/name}
 * @param kept receipts left in IN for an operator, with the reason
 * @param failedSenders senders whose IN could not be polled, with the reason
 * @param skipped true when the whole poll was skipped because the tracker's state was not ready
 * @param polled the senders whose IN this instance polled, being their owner
 */
public record PollReport(
        List<String> published,
        Map<String, String> kept,
        Map<String, String> failedSenders,
        boolean skipped,
        List<String> polled) {

    /**
     * Reports the receipts kept, for the senders polled only: a sender another instance owns is that
     * instance's to report. A skipped poll leaves the figures as they were, and so does a failed poll
     * those of its sender.
     */
    public void recordIn(PipelineMetrics metrics) {
        if (!skipped) {
            metrics.receiptsKept(kept.keySet(), polled, failedSenders.keySet());
        }
    }

    static PollReport skippedPoll() {
        return new PollReport(List.of(), Map.of(), Map.of(), true, List.of());
    }

    /** Collects a poll's results as it goes. */
    static final class Builder {
        private final List<String> published = new ArrayList<>();
        private final Map<String, String> kept = new TreeMap<>();
        private final Map<String, String> failedSenders = new TreeMap<>();
        private final List<String> polled = new ArrayList<>();

        void polled(String sender) {
            polled.add(sender);
        }

        void published(String receipt) {
            published.add(receipt);
        }

        void kept(String receipt, String reason) {
            kept.put(receipt, reason);
        }

        void failed(String sender, String reason) {
            failedSenders.put(sender, reason);
        }

        PollReport build() {
            return new PollReport(
                    List.copyOf(published), Map.copyOf(kept), Map.copyOf(failedSenders), false, List.copyOf(polled));
        }
    }
}

package dk.sf1820.serviceplatform.scan;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one trigger scan did, trigger by trigger, in the order the scan visited them.
 *
 * @param startedAt when the scan began (the emulator's clock)
 * @param triggers one outcome per trigger found
 */
public record ScanReport(Instant startedAt, List<TriggerOutcome> triggers) {

    public ScanReport {
        triggers = List.copyOf(triggers);
    }

    public List<TriggerOutcome> delivered() {
        return only(Status.DELIVERED);
    }

    public List<TriggerOutcome> rejected() {
        return only(Status.REJECTED);
    }

    public List<TriggerOutcome> deferred() {
        return only(Status.DEFERRED);
    }

    /** The outcome for a trigger of this name, in any user's OUT. */
    public Optional<TriggerOutcome> trigger(String triggerName) {
        return triggers.stream()
                .filter(t -> t.triggerName().equals(triggerName))
                .findFirst();
    }

    /** Collects outcomes while a scan runs. */
    static final class Builder {
        private final Instant startedAt;
        private final List<TriggerOutcome> triggers = new java.util.ArrayList<>();

        Builder(Instant startedAt) {
            this.startedAt = startedAt;
        }

        void add(TriggerOutcome outcome) {
            triggers.add(outcome);
        }

        ScanReport build() {
            return new ScanReport(startedAt, triggers);
        }
    }

    private List<TriggerOutcome> only(Status status) {
        return triggers.stream().filter(t -> t.status() == status).toList();
    }

    public enum Status {
        /** routed to every recipient; SUCCESS receipt written */
        DELIVERED,
        /** not routed; failure receipt written, data file left in OUT */
        REJECTED,
        /** left untouched for the next scan because the trigger or data file is still being written */
        DEFERRED,
        /**
         * its receipt was written before the platform stopped, but the trigger not yet removed: removed
         * now, without routing or answering again
         */
        ANSWERED_BEFORE
    }

    /**
     * What the scan did with one trigger.
     *
     * @param user owner of the OUT folder the trigger lay in
     * @param triggerName the trigger's file name
     * @param fileName the data file name the trigger names, or null if unreadable
     * @param sendersFileId the trigger's SendersFileId, or null
     * @param fileTransferUUID the platform's id of the transfer (null when deferred)
     * @param status what happened
     * @param problems why a trigger was rejected (empty otherwise)
     * @param note a plain-language summary, e.g. "deferred: still being written"
     */
    public record TriggerOutcome(
            String user,
            String triggerName,
            String fileName,
            String sendersFileId,
            String fileTransferUUID,
            Status status,
            List<PlatformProblem> problems,
            String note) {

        public TriggerOutcome {
            problems = List.copyOf(problems);
        }

        public boolean succeeded() {
            return status == Status.DELIVERED;
        }

        public List<Integer> errorCodes() {
            return problems.stream().map(PlatformProblem::code).toList();
        }
    }
}

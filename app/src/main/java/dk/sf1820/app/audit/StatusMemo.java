package dk.sf1820.app.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Each transfer's status, remembered while its timeline is the same list (the projection replaces a
 * transfer's list on every new record) and for at most {@code maxAge}, since "near the platform's deletion"
 * moves with the clock. Spares the live projection recomputing ten thousand unchanged transfers per request.
 */
class StatusMemo {

    /** A status, or null where the timeline makes no transfer. */
    private record Memo(List<AuditEntry> timeline, Instant at, TransferStatus status) {}

    private final Map<String, Memo> memos = new ConcurrentHashMap<>();
    private final Duration maxAge;

    StatusMemo(Duration maxAge) {
        this.maxAge = maxAge;
    }

    /** Remembers nothing: a replay's log is read once. */
    static StatusMemo none() {
        return new StatusMemo(Duration.ZERO) {
            @Override
            TransferStatus get(
                    String transferId, List<AuditEntry> timeline, Instant now, Supplier<TransferStatus> compute) {
                return compute.get();
            }
        };
    }

    TransferStatus get(String transferId, List<AuditEntry> timeline, Instant now, Supplier<TransferStatus> compute) {
        Memo memo = memos.get(transferId);
        if (memo != null
                && memo.timeline() == timeline
                && !memo.at().plus(maxAge).isBefore(now)) {
            return memo.status();
        }
        TransferStatus status = compute.get();
        memos.put(transferId, new Memo(timeline, now, status));
        return status;
    }

    void clear() {
        memos.clear();
    }
}

package dk.sf1820.app.audit;

import dk.sf1820.schemas.HousekeepingAction;
import dk.sf1820.schemas.Outcome;
import dk.sf1820.schemas.avro.BusinessReceiptReceived;
import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.avro.HousekeepingPerformed;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.ReceiptReceived;
import dk.sf1820.schemas.avro.TransferFailed;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.schemas.sftp.PlatformRetention;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecordBase;

/** The replayed audit trail: every transfer's history, and each transfer's current state. */
public final class AuditLog {

    /** The contract's FileAcceptance of a file the recipient took; anything else needs attention. */
    private static final String ACCEPTED = "ACCEPTED";

    private final Map<String, List<AuditEntry>> byTransfer = new LinkedHashMap<>();
    private final Duration deadlineWarningAfter;
    private final StatusMemo memo;

    /** A log that flags transfers near the platform's deletion at the platform's own warning age. */
    AuditLog(List<AuditEntry> entries) {
        this(entries, PlatformRetention.WARNING_AFTER);
    }

    /**
     * @param deadlineWarningAfter how long after its upload an unsettled transfer's files are near the
     *        platform's deletion: the receipt tracker's {@code deadline-warning-after}
     */
    AuditLog(List<AuditEntry> entries, Duration deadlineWarningAfter) {
        this.deadlineWarningAfter = deadlineWarningAfter;
        this.memo = StatusMemo.none();
        for (AuditEntry entry : entries) {
            byTransfer
                    .computeIfAbsent(entry.transferId(), id -> new ArrayList<>())
                    .add(entry);
        }
    }

    /**
     * A log of timelines already grouped by transfer, each in the order things happened, in the order the
     * transfers first appeared: the live projection's, taken without replaying or regrouping.
     */
    AuditLog(Map<String, List<AuditEntry>> byTransfer, Duration deadlineWarningAfter, StatusMemo memo) {
        this.deadlineWarningAfter = deadlineWarningAfter;
        this.memo = memo;
        this.byTransfer.putAll(byTransfer);
    }

    /**
     * The timelines of the transfer with this id, or of every transfer whose data file (or the
     * fagsystem's original file) has this name; keyed by transferId, each in the order things happened.
     */
    public Map<String, List<AuditEntry>> timelines(String transferIdOrFileName) {
        Map<String, List<AuditEntry>> found = new LinkedHashMap<>();
        List<AuditEntry> byId = byTransfer.get(transferIdOrFileName);
        if (byId != null) {
            found.put(transferIdOrFileName, byId);
            return found;
        }
        byTransfer.forEach((id, entries) -> {
            if (entries.stream()
                    .anyMatch(e -> transferIdOrFileName.equals(e.detail("fileName"))
                            || transferIdOrFileName.equals(e.detail("originalFileName")))) {
                found.put(id, entries);
            }
        });
        return found;
    }

    /**
     * Every transfer's state, in the order the transfers first appeared. A transfer is what at least one
     * readable event of a pipeline topic names; records under a key no readable event names are
     * {@link #strayRecords()}, not transfers.
     */
    public List<TransferStatus> statuses(Predicate<TransferRef> filter, Clock clock) {
        List<TransferStatus> statuses = new ArrayList<>();
        Instant now = clock.instant();
        for (Map.Entry<String, List<AuditEntry>> transfer : byTransfer.entrySet()) {
            List<AuditEntry> entries = transfer.getValue();
            TransferStatus status = memo.get(
                    transfer.getKey(),
                    entries,
                    now,
                    () -> isTransfer(entries) ? status(transfer.getKey(), entries, now) : null);
            if (status == null) {
                continue;
            }
            TransferRef ref =
                    new TransferRef(status.transferId(), status.fagsystem(), status.authority(), status.period());
            if (filter.test(ref)) {
                statuses.add(status);
            }
        }
        return statuses;
    }

    /**
     * The records that belong to no transfer: unreadable records and dead letters under a key that no
     * readable event names (forged, corrupt, or a stranger's), and forged events a stage refused. Each needs attention, but counting them as
     * transfers would let anyone who can write to a topic inflate the counts.
     */
    public List<String> strayRecords() {
        List<String> strays = new ArrayList<>();
        byTransfer.forEach((key, entries) -> {
            if (!isTransfer(entries)) {
                for (AuditEntry entry : entries) {
                    String where =
                            entry.topic() + "@" + entry.partition() + ":" + entry.offset() + " (key " + key + ")";
                    strays.add(
                            entry.deadLetter()
                                    ? "dead letter " + where + ": " + entry.detail("reason")
                                    : entry.event() != null && !keyedByItsTransferId(entry)
                                            ? entry.type() + " " + where + " holds transferId "
                                                    + (entry.ref() == null
                                                            ? "?"
                                                            : entry.ref().transferId())
                                                    + " under another key, which every stage refuses"
                                            : entry.event() != null
                                                    ? entry.type() + " " + where + " names no transfer the extractor"
                                                            + " announced, and a stage refused it"
                                                    : "record " + where + " cannot be read: "
                                                            + entry.detail("unreadable"));
                }
            }
        });
        return strays;
    }

    /**
     * Whether a key's records make a transfer: a readable event names it, and either the extractor announced
     * it (every transfer starts with an ExtractReady) or no stage refused it. A readable event no extractor
     * announced that a stage then dead-lettered is a forgery the pipeline turned away, not a transfer.
     */
    private static boolean isTransfer(List<AuditEntry> entries) {
        boolean readable = entries.stream().anyMatch(e -> keyedByItsTransferId(e) && !e.deadLetter());
        boolean announced =
                entries.stream().anyMatch(e -> keyedByItsTransferId(e) && e.event() instanceof ExtractReady);
        boolean refused = entries.stream().anyMatch(AuditEntry::deadLetter);
        return readable && (announced || !refused);
    }

    /**
     * Whether the entry's record key names the transfer its event belongs to. A copy of a real event under
     * another key (every stage refuses it) names no transfer of that key, however real its content.
     */
    private static boolean keyedByItsTransferId(AuditEntry entry) {
        return entry.event() != null
                && entry.ref() != null
                && entry.ref().transferId().equals(entry.transferId());
    }

    private TransferStatus status(String transferId, List<AuditEntry> entries, Instant now) {
        TransferRef ref = entries.stream()
                .map(AuditEntry::ref)
                .filter(r -> r != null)
                .findFirst()
                .orElse(new TransferRef(transferId, "?", "?", "?"));
        TransferState state = null;
        Instant since = entries.get(0).at();
        String fileName = null;
        Instant uploadedAt = null;
        String errors = null;
        boolean fileDeleted = false;
        boolean deadlineReported = false;
        List<String> unreadable = new ArrayList<>();
        List<String> refusedByRecipient = new ArrayList<>();
        for (AuditEntry entry : entries) {
            if (entry.event() == null && !entry.deadLetter()) {
                // forged or corrupt: the stage dead-letters it; here it never counts as progress
                unreadable.add("record " + entry.topic() + "@" + entry.partition() + ":" + entry.offset()
                        + " cannot be read: " + entry.detail("unreadable"));
            }
            SpecificRecordBase event = entry.event();
            if (entry.detail("fileName") != null && !entry.deadLetter()) {
                fileName = entry.detail("fileName");
            }
            TransferState next = entry.deadLetter() ? TransferState.DEAD_LETTERED : stateOf(event);
            if (event instanceof TransferUploaded) {
                uploadedAt = entry.at();
            }
            if (event instanceof DeliveryFailed || event instanceof TransferFailed) {
                errors = entry.details().getOrDefault("errors", entry.detail("cause"));
            }
            if (event instanceof BusinessReceiptReceived business && !ACCEPTED.equals(business.getFileAcceptance())) {
                // the platform routed the file, but the recipient refused it or was never told: the technical
                // receipt's outcome stands, and an operator must still act
                refusedByRecipient.add("business receipt " + business.getFileAcceptance() + " from "
                        + business.getRecipient() + (business.getReason() == null ? "" : ": " + business.getReason()));
            }
            if (event instanceof HousekeepingPerformed h) {
                Optional<HousekeepingAction> action = HousekeepingAction.of(h.getAction());
                fileDeleted |= action.filter(HousekeepingAction::deletesFile).isPresent()
                        && h.getPath().endsWith("/" + fileName);
                deadlineReported |=
                        action.filter(HousekeepingAction.DEADLINE_NEAR::equals).isPresent();
            }
            // the one outcome is final: what comes after it (housekeeping, a late duplicate) does not change it
            if (next != null && (state == null || !state.settled())) {
                state = next;
                since = entry.at();
            }
        }
        if (state == null) {
            state = TransferState.DEAD_LETTERED; // only records no stage could read
        }
        return new TransferStatus(
                transferId,
                ref.fagsystem(),
                ref.authority(),
                ref.period(),
                fileName,
                state,
                since,
                attention(
                        state, errors, uploadedAt, fileDeleted, deadlineReported, unreadable, refusedByRecipient, now));
    }

    private String attention(
            TransferState state,
            String errors,
            Instant uploadedAt,
            boolean fileDeleted,
            boolean deadlineReported,
            List<String> unreadable,
            List<String> refusedByRecipient,
            Instant now) {
        Set<String> reasons = new LinkedHashSet<>();
        reasons.addAll(unreadable);
        reasons.addAll(refusedByRecipient);
        switch (state) {
            case FAILED, TRANSFER_FAILED -> reasons.add(errors == null ? "failed" : errors);
            case TIMED_OUT -> reasons.add("no receipt came; check the sender's OUT and IN by hand");
            case DEAD_LETTERED -> reasons.add("a stage could not process its last record (see the audit)");
            default -> {}
        }
        boolean old =
                uploadedAt != null && !uploadedAt.plus(deadlineWarningAfter).isAfter(now);
        if (deadlineReported || (old && state != TransferState.SUCCEEDED && !fileDeleted)) {
            reasons.add("near the platform's " + PlatformRetention.RETENTION.toDays() + "-day deletion: its files may "
                    + "lie on the platform since "
                    + (uploadedAt != null ? uploadedAt : "over " + deadlineWarningAfter));
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    private static TransferState stateOf(SpecificRecordBase event) {
        if (event instanceof ExtractReady) {
            return TransferState.EXTRACTED;
        }
        if (event instanceof PackageReady) {
            return TransferState.PACKAGED;
        }
        if (event instanceof TransferUploaded) {
            return TransferState.UPLOADED;
        }
        if (event instanceof TransferFailed) {
            return TransferState.TRANSFER_FAILED;
        }
        if (event instanceof ReceiptReceived) {
            return TransferState.RECEIPT_RECEIVED;
        }
        // housekeeping and unknown records tell nothing about progress
        return Outcome.of(event).map(TransferState::of).orElse(null);
    }
}

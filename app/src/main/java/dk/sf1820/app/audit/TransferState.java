package dk.sf1820.app.audit;

import dk.sf1820.schemas.Outcome;

/**
 * Where a transfer stands, by the last step the audit trail records for it. The settled states are the
 * pipeline's {@link Outcome}s, by the same names.
 */
public enum TransferState {
    EXTRACTED,
    PACKAGED,
    UPLOADED,
    /** The transporter gave up; the receipt tracker turns this into DeliveryFailed. */
    TRANSFER_FAILED,
    RECEIPT_RECEIVED,
    SUCCEEDED(Outcome.SUCCEEDED),
    FAILED(Outcome.FAILED),
    TIMED_OUT(Outcome.TIMED_OUT),
    /** Its last record is one a stage could not process; it waits for an operator. */
    DEAD_LETTERED;

    private final Outcome outcome;

    TransferState() {
        this(null);
    }

    TransferState(Outcome outcome) {
        this.outcome = outcome;
    }

    /** The state of a transfer that ended with this outcome. */
    static TransferState of(Outcome outcome) {
        return valueOf(outcome.name());
    }

    boolean settled() {
        return outcome != null;
    }
}

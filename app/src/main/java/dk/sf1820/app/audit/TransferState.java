package dk.sf1820.app.audit;

/** Where a transfer stands, by the last step the audit trail records for it. */
public enum TransferState {
    EXTRACTED,
    PACKAGED,
    UPLOADED,
    /** The transporter gave up; the receipt tracker turns this into DeliveryFailed. */
    TRANSFER_FAILED,
    RECEIPT_RECEIVED,
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    /** Its last record is one a stage could not process; it waits for an operator. */
    DEAD_LETTERED;

    boolean settled() {
        return this == SUCCEEDED || this == FAILED || this == TIMED_OUT;
    }
}

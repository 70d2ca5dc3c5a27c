package dk.sf1820.receipts.correlation;

import dk.sf1820.schemas.Outcome;
import dk.sf1820.schemas.avro.CorrelationState;
import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.DeliveryTimedOut;
import dk.sf1820.schemas.avro.ReceiptError;
import dk.sf1820.schemas.avro.ReceiptReceived;
import dk.sf1820.schemas.events.TransferRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Builds the outcome events of a transfer from what the tracker recorded of it. Every outcome
 * carries the common fields of the recorded state, which are the upload's whenever the upload was
 * seen, so an outcome names the transfer exactly as the rest of the pipeline did.
 */
final class DeliveryOutcomes {

    private DeliveryOutcomes() {}

    /** The platform's verdict: success, or failure with every error the receipt lists. */
    static SpecificRecordBase fromReceipt(CorrelationState state, ReceiptReceived receipt, Instant now) {
        if (receipt.getSuccess()) {
            DeliverySucceeded succeeded = ref(state).stamp(new DeliverySucceeded(), at(now));
            succeeded.setFileName(fileName(state, receipt));
            succeeded.setFileTransferUUID(receipt.getFileTransferUUID());
            return succeeded;
        }
        return failed(state, fileName(state, receipt), receipt.getFileTransferUUID(), receipt.getErrors(), now);
    }

    static DeliveryFailed failed(
            CorrelationState state, String fileName, String fileTransferUUID, List<ReceiptError> errors, Instant now) {
        DeliveryFailed failed = ref(state).stamp(new DeliveryFailed(), at(now));
        failed.setFileName(fileName);
        failed.setFileTransferUUID(fileTransferUUID);
        failed.setErrors(List.copyOf(errors));
        return failed;
    }

    static DeliveryTimedOut timedOut(CorrelationState state, Instant now) {
        DeliveryTimedOut timedOut = ref(state).stamp(new DeliveryTimedOut(), at(now));
        timedOut.setFileName(state.getFileName());
        timedOut.setUploadedAt(state.getUploadedAt());
        timedOut.setWaitedMillis(Duration.between(state.getUploadedAt(), now).toMillis());
        return timedOut;
    }

    /** The name the state stores for an outcome event. */
    static String nameOf(SpecificRecordBase outcome) {
        return Outcome.of(outcome)
                .orElseThrow(() -> new IllegalArgumentException(
                        "not an outcome: " + outcome.getSchema().getName()))
                .name();
    }

    private static String fileName(CorrelationState state, ReceiptReceived receipt) {
        // the upload's name is what the transporter put in OUT; the receipt's is derived from its own name
        return state.getFileName() != null ? state.getFileName() : receipt.getFileName();
    }

    private static TransferRef ref(CorrelationState state) {
        return TransferRef.of(state);
    }

    private static Clock at(Instant now) {
        return Clock.fixed(now, ZoneOffset.UTC);
    }
}

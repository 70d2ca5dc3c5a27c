package dk.sf1820.receipts.poll;

import dk.sf1820.receipts.correlation.TrackerErrors;
import dk.sf1820.schemas.avro.ReceiptError;
import dk.sf1820.schemas.avro.ReceiptReceived;
import dk.sf1820.schemas.xml.ErrorMessageType;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import java.time.Clock;
import java.util.List;

/** Turns a technical receipt into the {@code ReceiptReceived} event, keeping every error it lists. */
final class ReceiptEvents {

    /** The only {@code Receipt/Message} the contract names for success. */
    static final String SUCCESS = "SUCCESS";

    private ReceiptEvents() {}

    static ReceiptReceived of(
            ReceiptMatcher.Correlation correlation,
            String sender,
            String fileName,
            String receiptPath,
            TechnicalReceiptType receipt,
            Clock clock) {
        ReceiptReceived event = correlation.ref().stamp(new ReceiptReceived(), clock);
        event.setSender(sender);
        event.setFileName(fileName);
        event.setReceiptPath(receiptPath);
        event.setFileTransferUUID(receipt.getFileTransferUUID());
        event.setCorrelatedBy(correlation.correlatedBy());
        List<ReceiptError> errors = errors(receipt);
        event.setSuccess(errors.isEmpty());
        event.setErrors(errors);
        return event;
    }

    private static List<ReceiptError> errors(TechnicalReceiptType receipt) {
        if (receipt.getReceipt() != null) {
            String message = receipt.getReceipt().getMessage();
            // anything but SUCCESS is no confirmation; report it rather than guess
            return SUCCESS.equals(message == null ? null : message.strip())
                    ? List.of()
                    : List.of(TrackerErrors.unrecognisedReceiptMessage(message));
        }
        return receipt.getErrorMessage().stream().map(ReceiptEvents::error).toList();
    }

    private static ReceiptError error(ErrorMessageType message) {
        return new ReceiptError(
                message.getErrorCode(),
                nullToEmpty(message.getErrorCodeDescription()),
                nullToEmpty(message.getErrorDescription()));
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}

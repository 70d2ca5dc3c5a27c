package dk.sf1820.receipts.correlation;

import dk.sf1820.schemas.avro.ReceiptError;

/**
 * Errors the receipt tracker reports itself, next to the platform's own receipt errors. Their codes
 * are negative: the platform's catalogue is not public, but its codes are positive integers, so a
 * reader of a {@code DeliveryFailed} can always tell who raised an error.
 */
public final class TrackerErrors {

    /** The transporter gave up before the platform ever saw a trigger. */
    public static final int TRANSPORTER_GAVE_UP = -1;

    /** A receipt with a {@code Receipt/Message} other than {@code SUCCESS}; the contract knows no other. */
    public static final int UNRECOGNISED_RECEIPT_MESSAGE = -2;

    private TrackerErrors() {}

    public static ReceiptError transporterGaveUp(String cause, int attempts) {
        return new ReceiptError(
                TRANSPORTER_GAVE_UP,
                "TRANSPORTER_GAVE_UP",
                "the transporter gave up after " + attempts + " attempt(s): " + cause);
    }

    public static ReceiptError unrecognisedReceiptMessage(String message) {
        return new ReceiptError(
                UNRECOGNISED_RECEIPT_MESSAGE,
                "UNRECOGNISED_RECEIPT_MESSAGE",
                "the technical receipt says '" + message + "' instead of SUCCESS");
    }
}

package dk.sf1820.receipts.poll;

/** A receipt that cannot be tied to a transfer; it stays in the sender's IN for an operator. */
class ReceiptNotCorrelatedException extends Exception {

    ReceiptNotCorrelatedException(String message) {
        super(message);
    }
}

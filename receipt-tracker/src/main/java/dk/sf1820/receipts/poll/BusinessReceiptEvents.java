package dk.sf1820.receipts.poll;

import dk.sf1820.receipts.KnownTransfers.KnownTransfer;
import dk.sf1820.schemas.avro.BusinessReceiptReceived;
import dk.sf1820.schemas.registry.DataFileName;
import dk.sf1820.schemas.xml.BusinessReceiptType;
import java.time.Clock;

/** Turns a business receipt into the {@code BusinessReceiptReceived} event of the transfer it names. */
final class BusinessReceiptEvents {

    /** The contract's FileAcceptance for a file the recipient took. */
    static final String ACCEPTED = "ACCEPTED";

    private BusinessReceiptEvents() {}

    static BusinessReceiptReceived of(
            KnownTransfer transfer, String sender, String receiptPath, BusinessReceiptType receipt, Clock clock) {
        BusinessReceiptReceived event = transfer.ref().stamp(new BusinessReceiptReceived(), clock);
        event.setSender(sender);
        event.setFileName(transfer.fileName());
        event.setReceiptPath(receiptPath);
        event.setFileTransferUUID(receipt.getFileTransferUUID());
        event.setRecipient(receipt.getRecipient() == null ? "" : receipt.getRecipient());
        event.setFileAcceptance(
                receipt.getFileAcceptance() == null
                        ? ""
                        : receipt.getFileAcceptance().value());
        event.setReason(receipt.getReason());
        event.setCorrelatedBy(ReceiptMatcher.BY_FILE_NAME);
        return event;
    }

    /**
     * The data file a business receipt belongs to: its {@code Filename}, or where that is missing its
     * own name without {@code .businessreceipt} (and without {@code .<recipient>} when it names one).
     */
    static String dataFileName(String receiptName, BusinessReceiptType receipt) {
        if (receipt.getFilename() != null && !receipt.getFilename().isBlank()) {
            return receipt.getFilename();
        }
        String base = receiptName.substring(0, receiptName.length() - DataFileName.BUSINESS_RECEIPT_SUFFIX.length());
        String recipient = receipt.getRecipient() == null ? "" : "." + receipt.getRecipient();
        return !recipient.equals(".") && base.endsWith(recipient)
                ? base.substring(0, base.length() - recipient.length())
                : base;
    }
}

package dk.sf1820.schemas.sftp;

import dk.sf1820.schemas.xml.BusinessReceiptType;
import dk.sf1820.schemas.xml.ErrorMessageType;
import dk.sf1820.schemas.xml.FileDescriptorType;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import java.util.List;

/**
 * The real platform pretty-prints its documents, so values arrive wrapped in whitespace (a
 * {@code FileTransferUUID} on a line of its own); none of the contract's values means anything by
 * leading or trailing whitespace, so the platform's documents are read with it removed. An element
 * left empty counts as absent.
 */
final class PlatformValues {

    private PlatformValues() {}

    static void strip(FileDescriptorType descriptor) {
        descriptor.setFileName(strip(descriptor.getFileName()));
        descriptor.setSender(strip(descriptor.getSender()));
        descriptor.setSendersFileId(strip(descriptor.getSendersFileId()));
        List<String> recipients = descriptor.getRecipients().stream()
                .map(PlatformValues::strip)
                .filter(r -> r != null)
                .toList();
        descriptor.getRecipients().clear();
        descriptor.getRecipients().addAll(recipients);
    }

    static void strip(TechnicalReceiptType receipt) {
        receipt.setFileTransferUUID(strip(receipt.getFileTransferUUID()));
        receipt.setSendersFileId(strip(receipt.getSendersFileId()));
        if (receipt.getReceipt() != null) {
            receipt.getReceipt().setMessage(strip(receipt.getReceipt().getMessage()));
        }
        for (ErrorMessageType error : receipt.getErrorMessage()) {
            error.setErrorCodeDescription(strip(error.getErrorCodeDescription()));
            error.setErrorDescription(strip(error.getErrorDescription()));
        }
    }

    static void strip(BusinessReceiptType receipt) {
        receipt.setFileTransferUUID(strip(receipt.getFileTransferUUID()));
        receipt.setFilename(strip(receipt.getFilename()));
        receipt.setRecipient(strip(receipt.getRecipient()));
        receipt.setReason(strip(receipt.getReason()));
    }

    static String strip(String value) {
        if (value == null) {
            return null;
        }
        String stripped = value.strip();
        return stripped.isEmpty() ? null : stripped;
    }
}

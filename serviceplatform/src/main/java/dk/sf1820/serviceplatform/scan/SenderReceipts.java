package dk.sf1820.serviceplatform.scan;

import dk.sf1820.schemas.registry.DataFileName;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.sftp.SftpXmlException;
import dk.sf1820.schemas.sftp.XmlChars;
import dk.sf1820.schemas.xml.ErrorMessageType;
import dk.sf1820.schemas.xml.ReceiptType;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import dk.sf1820.serviceplatform.sftp.PlatformUsers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes technical receipts ({@code <file>.sftpreceipt}) into the sender's IN folder. */
final class SenderReceipts {

    static final String SUCCESS = "SUCCESS";
    private static final Logger log = LoggerFactory.getLogger(SenderReceipts.class);

    private final PlatformUsers users;

    SenderReceipts(PlatformUsers users) {
        this.users = users;
    }

    /**
     * Whether the trigger was answered already: a receipt of its name lies in the sender's IN, written
     * after the trigger was last changed, and echoes the trigger's {@code SendersFileId}. That is what
     * a stop between writing the receipt and removing the trigger leaves behind; a sender sending again
     * under the same name writes the trigger anew, so its trigger is newer than any earlier receipt.
     */
    boolean answered(String sender, String baseName, String sendersFileId, Path trigger) {
        Path receiptFile = users.in(sender).resolve(baseName + DataFileName.RECEIPT_SUFFIX);
        try {
            if (!Files.isRegularFile(receiptFile, LinkOption.NOFOLLOW_LINKS)
                    || Files.getLastModifiedTime(receiptFile).compareTo(Files.getLastModifiedTime(trigger)) < 0) {
                return false;
            }
            TechnicalReceiptType earlier = SftpXml.readTechnicalReceipt(
                    new ByteArrayInputStream(Files.readAllBytes(receiptFile)), receiptFile.toString());
            return Objects.equals(earlier.getSendersFileId(), sendersFileId);
        } catch (IOException | SftpXmlException e) {
            // not a receipt this platform wrote: answer the trigger as usual
            return false;
        }
    }

    void success(String sender, String fileName, String fileTransferUUID, String sendersFileId) throws IOException {
        TechnicalReceiptType receipt = receipt(fileTransferUUID, sendersFileId);
        ReceiptType message = new ReceiptType();
        message.setMessage(SUCCESS);
        receipt.setReceipt(message);
        write(sender, fileName, receipt, "SUCCESS");
    }

    void failure(
            String sender,
            String fileName,
            String fileTransferUUID,
            String sendersFileId,
            List<PlatformProblem> problems)
            throws IOException {
        TechnicalReceiptType receipt = receipt(fileTransferUUID, sendersFileId);
        for (PlatformProblem problem : problems) {
            ErrorMessageType error = new ErrorMessageType();
            error.setErrorCode(problem.code());
            error.setErrorCodeDescription(problem.error().description());
            // the detail quotes what the sender sent and the parser said: never let it break the receipt
            error.setErrorDescription(XmlChars.safe(problem.detail()));
            receipt.getErrorMessage().add(error);
        }
        write(
                sender,
                fileName,
                receipt,
                "ERROR " + problems.stream().map(p -> String.valueOf(p.code())).toList());
    }

    private static TechnicalReceiptType receipt(String fileTransferUUID, String sendersFileId) {
        TechnicalReceiptType receipt = new TechnicalReceiptType();
        receipt.setFileTransferUUID(fileTransferUUID);
        receipt.setSendersFileId(sendersFileId);
        return receipt;
    }

    private void write(String sender, String fileName, TechnicalReceiptType receipt, String outcome)
            throws IOException {
        Path target = users.in(sender).resolve(fileName + DataFileName.RECEIPT_SUFFIX);
        if (Files.exists(target)) {
            // the sender has not cleaned up an earlier receipt of the same name; the newest wins
            log.warn(
                    "Receipt replaces an unread receipt of the same name fileTransferUUID={} sendersFileId={} "
                            + "receipt={}",
                    receipt.getFileTransferUUID(),
                    receipt.getSendersFileId(),
                    target);
        }
        AtomicFiles.write(target, SftpXml.write(receipt));
        log.info(
                "Receipt written fileTransferUUID={} sendersFileId={} sender={} receipt={} outcome={}",
                receipt.getFileTransferUUID(),
                receipt.getSendersFileId(),
                sender,
                target.getFileName(),
                outcome);
    }
}

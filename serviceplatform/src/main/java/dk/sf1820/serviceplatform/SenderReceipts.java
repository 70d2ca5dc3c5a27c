package dk.sf1820.serviceplatform;

import dk.sf1820.schemas.registry.DataFileName;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.xml.ErrorMessageType;
import dk.sf1820.schemas.xml.ReceiptType;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    void success(String sender, String fileName, String fileTransferUUID, String sendersFileId) throws IOException {
        TechnicalReceiptType receipt = receipt(fileTransferUUID, sendersFileId);
        ReceiptType message = new ReceiptType();
        message.setMessage(SUCCESS);
        receipt.setReceipt(message);
        write(sender, fileName, receipt, "SUCCESS");
    }

    void failure(String sender, String fileName, String fileTransferUUID, String sendersFileId,
            List<PlatformProblem> problems) throws IOException {
        TechnicalReceiptType receipt = receipt(fileTransferUUID, sendersFileId);
        for (PlatformProblem problem : problems) {
            ErrorMessageType error = new ErrorMessageType();
            error.setErrorCode(problem.code());
            error.setErrorCodeDescription(problem.error().description());
            error.setErrorDescription(problem.detail());
            receipt.getErrorMessage().add(error);
        }
        write(sender, fileName, receipt, "ERROR " + problems.stream().map(p -> String.valueOf(p.code())).toList());
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
            log.warn("Receipt replaces an unread receipt of the same name fileTransferUUID={} sendersFileId={} "
                    + "receipt={}", receipt.getFileTransferUUID(), receipt.getSendersFileId(), target);
        }
        AtomicFiles.write(target, SftpXml.write(receipt));
        log.info("Receipt written fileTransferUUID={} sendersFileId={} sender={} receipt={} outcome={}",
                receipt.getFileTransferUUID(), receipt.getSendersFileId(), sender, target.getFileName(), outcome);
    }
}

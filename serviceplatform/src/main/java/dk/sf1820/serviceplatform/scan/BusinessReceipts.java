package dk.sf1820.serviceplatform.scan;

import dk.sf1820.schemas.registry.DataFileName;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.sftp.XmlChars;
import dk.sf1820.schemas.xml.BusinessReceiptType;
import dk.sf1820.schemas.xml.FileAcceptanceType;
import dk.sf1820.serviceplatform.sftp.PlatformUsers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the contract's optional business receipts ({@code BusinessReceipt}) into the sender's IN,
 * one per recipient: {@code ACCEPTED} when the file was delivered to it, {@code REJECTED} with the
 * reason when the trigger failed. SF1820 promises only the technical receipt, so this is off by
 * default; a sender that understands business receipts can be tested against it.
 *
 * <p>Name: {@code <file>.businessreceipt} when the trigger has one recipient (SF1820's case), and
 * {@code <file>.<recipient>.businessreceipt} for each when it has several, because a business
 * receipt names exactly one recipient.
 */
public final class BusinessReceipts {

    static final String SUFFIX = DataFileName.BUSINESS_RECEIPT_SUFFIX;
    private static final Logger log = LoggerFactory.getLogger(BusinessReceipts.class);

    private final PlatformUsers users;

    public BusinessReceipts(PlatformUsers users) {
        this.users = users;
    }

    /**
     * @param baseName the technical receipt's base name, which the business receipts share
     * @param fileName the trigger's {@code FileName}, echoed as {@code Filename}
     */
    void accepted(
            String sender,
            String baseName,
            String fileName,
            String fileTransferUUID,
            String sendersFileId,
            List<String> recipients)
            throws IOException {
        for (String recipient : recipients) {
            write(
                    sender,
                    baseName,
                    recipients,
                    receipt(fileTransferUUID, fileName, recipient, FileAcceptanceType.ACCEPTED, null),
                    sendersFileId);
        }
    }

    /** Only recipients that are users of the platform are answered for: the others do not exist. */
    void rejected(
            String sender,
            String baseName,
            String fileName,
            String fileTransferUUID,
            String sendersFileId,
            List<String> recipients,
            List<PlatformProblem> problems)
            throws IOException {
        String reason = XmlChars.safe(
                problems.stream().map(p -> p.code() + " " + p.detail()).collect(Collectors.joining("; ")));
        for (String recipient : recipients) {
            if (users.isRegistered(recipient)) {
                write(
                        sender,
                        baseName,
                        recipients,
                        receipt(fileTransferUUID, fileName, recipient, FileAcceptanceType.REJECTED, reason),
                        sendersFileId);
            }
        }
    }

    static String name(String baseName, String recipient, List<String> recipients) {
        return recipients.size() == 1 ? baseName + SUFFIX : baseName + "." + recipient + SUFFIX;
    }

    private static BusinessReceiptType receipt(
            String fileTransferUUID, String fileName, String recipient, FileAcceptanceType acceptance, String reason) {
        BusinessReceiptType receipt = new BusinessReceiptType();
        receipt.setFileTransferUUID(fileTransferUUID);
        receipt.setFilename(fileName);
        receipt.setRecipient(recipient);
        receipt.setFileAcceptance(acceptance);
        receipt.setReason(reason);
        return receipt;
    }

    private void write(
            String sender, String baseName, List<String> recipients, BusinessReceiptType receipt, String sendersFileId)
            throws IOException {
        Path target = users.in(sender).resolve(name(baseName, receipt.getRecipient(), recipients));
        AtomicFiles.write(target, SftpXml.write(receipt));
        log.info(
                "Business receipt written fileTransferUUID={} sendersFileId={} sender={} recipient={} receipt={} "
                        + "acceptance={}",
                receipt.getFileTransferUUID(),
                sendersFileId,
                sender,
                receipt.getRecipient(),
                target.getFileName(),
                receipt.getFileAcceptance());
    }
}

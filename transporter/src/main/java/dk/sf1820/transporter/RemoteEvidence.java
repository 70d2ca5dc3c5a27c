package dk.sf1820.transporter;

import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.sftp.SftpXmlException;
import dk.sf1820.sftp.SftpConnection;
import dk.sf1820.sftp.SftpException;
import java.io.ByteArrayInputStream;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the sender's folders say about a transfer's data file name: a receipt in IN or a trigger in OUT
 * under that name, and whose it is. A file of the same name proves nothing by itself: only the
 * {@code SendersFileId} inside it (the transferId the trigger was written with, which the platform
 * copies into the receipt) says whether it is this transfer's or another's that happens to share the
 * name.
 */
final class RemoteEvidence {

    /** Triggers and receipts are a few hundred bytes; a larger file under such a name is nobody's document. */
    private static final long MAX_DOCUMENT_BYTES = 1 << 20;

    private RemoteEvidence() {}

    /**
     * A receipt or trigger under the transfer's name, with whose it is; empty when there is neither.
     * The receipt is looked at first: once the platform processed a trigger, the receipt is what remains.
     */
    static Optional<Found> find(SftpConnection sftp, RemoteFiles files) throws SftpException {
        OptionalLong receipt = sftp.size(files.receipt());
        if (receipt.isPresent()) {
            return Optional.of(read(sftp, files.receipt(), receipt.getAsLong(), true));
        }
        OptionalLong trigger = sftp.size(files.trigger());
        if (trigger.isPresent()) {
            return Optional.of(read(sftp, files.trigger(), trigger.getAsLong(), false));
        }
        return Optional.empty();
    }

    private static Found read(SftpConnection sftp, String path, long size, boolean receipt) throws SftpException {
        if (size > MAX_DOCUMENT_BYTES) {
            return new Found(path, null, size + " bytes, too large for a " + (receipt ? "receipt" : "trigger"));
        }
        ByteArrayInputStream in = new ByteArrayInputStream(sftp.read(path));
        try {
            String id = receipt
                    ? SftpXml.readTechnicalReceipt(in, path).getSendersFileId()
                    : SftpXml.readTrigger(in, path).getFileDescriptor().getSendersFileId();
            if (id == null || id.isBlank()) {
                return new Found(path, null, "no SendersFileId");
            }
            return new Found(path, id.strip(), null);
        } catch (SftpXmlException | RuntimeException e) {
            return new Found(path, null, "unreadable: " + e.getMessage());
        }
    }

    /**
     * A receipt or trigger found under the transfer's name.
     *
     * @param path where it is on the server
     * @param sendersFileId the SendersFileId in it, or null when it has none or could not be read
     * @param problem why there is no SendersFileId, or null
     */
    record Found(String path, String sendersFileId, String problem) {

        boolean belongsTo(String transferId) {
            return transferId.equals(sendersFileId);
        }

        /** Who the document belongs to, for a cause a person reads. */
        String owner() {
            return sendersFileId != null
                    ? "SendersFileId=" + sendersFileId
                    : "no readable SendersFileId (" + problem + ")";
        }
    }
}

package dk.sf1820.schemas.sftp;

import dk.sf1820.schemas.xml.FileContentDescriptorType;
import dk.sf1820.schemas.xml.FileDescriptorType;
import javax.xml.namespace.QName;

/**
 * A metadata file as a recipient sees it, whichever root element the platform wrote.
 *
 * @param fileTransferUUID the platform's id of the transfer
 * @param fileDescriptor file name, size, sender, SendersFileId, recipients
 * @param fileContentDescriptor the file type; null when the platform wrote none (the field form)
 * @param root the root element the file had
 */
public record Metadata(
        String fileTransferUUID,
        FileDescriptorType fileDescriptor,
        FileContentDescriptorType fileContentDescriptor,
        QName root) {

    public String fileName() {
        return fileDescriptor.getFileName();
    }

    public long sizeInBytes() {
        return fileDescriptor.getSizeInBytes().longValueExact();
    }

    public String sender() {
        return fileDescriptor.getSender();
    }

    /** The sender's id of the file; null when the sender gave none (SF1820 makes it optional). */
    public String sendersFileId() {
        return fileDescriptor.getSendersFileId();
    }

    /** What names this transfer in logs: the {@code SendersFileId}, or the file name where there is none. */
    public String transferId() {
        String id = sendersFileId();
        return id != null ? id : fileName();
    }
}

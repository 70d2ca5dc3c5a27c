package dk.sf1820.transporter;

import dk.sf1820.kafka.NonRetryableEventException;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.sftp.FileTypes;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.xml.FileDescriptorType;
import dk.sf1820.schemas.xml.TriggerType;
import java.math.BigInteger;

/** The trigger that hands one package to the platform (SF1820 section 3, "Trigger"). */
final class TriggerFile {

    private TriggerFile() {}

    /**
     * The trigger's XML. SendersFileId is the transferId, so the receipt the platform writes can be
     * correlated back to this transfer.
     *
     * @throws NonRetryableEventException when the event cannot make a trigger the contract accepts
     */
    static byte[] content(PackageReady event) {
        FileDescriptorType descriptor = new FileDescriptorType();
        descriptor.setFileName(event.getFileName());
        descriptor.setSizeInBytes(BigInteger.valueOf(event.getSizeBytes()));
        descriptor.setSender(event.getSender());
        descriptor.setSendersFileId(event.getTransferId());
        event.getRecipients().forEach(recipient -> descriptor.getRecipients().add(recipient));
        TriggerType trigger = new TriggerType();
        trigger.setFileDescriptor(descriptor);
        trigger.setFileContentDescriptor(FileTypes.descriptor(event.getContentType()));
        try {
            return SftpXml.write(trigger);
        } catch (IllegalArgumentException e) {
            throw new NonRetryableEventException(
                    "PackageReady transferId=" + event.getTransferId() + " cannot be turned into a trigger: "
                            + e.getMessage(),
                    e);
        }
    }
}

package dk.sf1820.testsupport;

import dk.sf1820.schemas.sftp.FileTypes;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.xml.FileDescriptorType;
import dk.sf1820.schemas.xml.TriggerType;
import java.math.BigInteger;
import java.util.List;

/**
 * Triggers as a sender writes them next to its data file in OUT, for tests that play the sender (or
 * provoke the platform's errors by changing one field of a valid trigger).
 */
public final class Triggers {

    /** The content type of the KSD extracts, the one most tests send. */
    public static final String KSD_CONTENT_TYPE = "SF1820_KSD";

    private Triggers() {}

    /** A valid trigger of a KSD data file. */
    public static TriggerType trigger(
            String fileName, long size, String sender, String sendersFileId, List<String> recipients) {
        return trigger(fileName, size, sender, sendersFileId, recipients, KSD_CONTENT_TYPE);
    }

    /** A valid trigger of a data file of the given content type. */
    public static TriggerType trigger(
            String fileName,
            long size,
            String sender,
            String sendersFileId,
            List<String> recipients,
            String contentType) {
        TriggerType trigger = new TriggerType();
        trigger.setFileDescriptor(descriptor(fileName, size, sender, sendersFileId, recipients));
        trigger.setFileContentDescriptor(FileTypes.descriptor(contentType));
        return trigger;
    }

    /** The file descriptor a trigger and the recipient's metadata share. */
    public static FileDescriptorType descriptor(
            String fileName, long size, String sender, String sendersFileId, List<String> recipients) {
        FileDescriptorType descriptor = new FileDescriptorType();
        descriptor.setFileName(fileName);
        descriptor.setSizeInBytes(BigInteger.valueOf(size));
        descriptor.setSender(sender);
        descriptor.setSendersFileId(sendersFileId);
        descriptor.getRecipients().addAll(recipients);
        return descriptor;
    }

    /** The trigger as the bytes of its file. */
    public static byte[] xml(TriggerType trigger) {
        return SftpXml.write(trigger);
    }
}

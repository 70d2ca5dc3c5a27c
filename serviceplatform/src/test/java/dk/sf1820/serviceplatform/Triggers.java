package dk.sf1820.serviceplatform;

import dk.sf1820.schemas.sftp.FileTypes;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.xml.FileDescriptorType;
import dk.sf1820.schemas.xml.TriggerType;
import java.math.BigInteger;
import java.util.List;

/** Triggers as a sender writes them, for tests. */
final class Triggers {

    private Triggers() {
    }

    static TriggerType trigger(String fileName, long size, String sender, String sendersFileId,
            List<String> recipients) {
        FileDescriptorType descriptor = new FileDescriptorType();
        descriptor.setFileName(fileName);
        descriptor.setSizeInBytes(BigInteger.valueOf(size));
        descriptor.setSender(sender);
        descriptor.setSendersFileId(sendersFileId);
        descriptor.getRecipients().addAll(recipients);
        TriggerType trigger = new TriggerType();
        trigger.setFileDescriptor(descriptor);
        trigger.setFileContentDescriptor(FileTypes.descriptor("SF1820_KSD"));
        return trigger;
    }

    static byte[] xml(TriggerType trigger) {
        return SftpXml.write(trigger);
    }
}

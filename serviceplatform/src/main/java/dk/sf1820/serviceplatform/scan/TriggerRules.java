package dk.sf1820.serviceplatform.scan;

import dk.sf1820.schemas.registry.DataFileName;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.sftp.SftpXmlException;
import dk.sf1820.schemas.xml.FileDescriptorType;
import dk.sf1820.schemas.xml.TriggerType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The platform's checks of a schema-valid trigger against the folders it routes between. Every
 * problem found is reported, not just the first, so the sender can fix them in one go.
 */
final class TriggerRules {

    /** What the rules need to know about the file system. */
    interface Folders {

        boolean isUser(String user);

        /** The data file {@code fileName} in {@code owner}'s OUT; only asked for names that obey the rules. */
        DataFile dataFile(String owner, String fileName);

        /** Whether a data file or metadata file of this name still lies in the recipient's IN. */
        boolean waitingInIn(String recipient, String fileName);
    }

    /** A data file as the scan finds it. */
    record DataFile(boolean exists, boolean regular, long size) {

        static final DataFile ABSENT = new DataFile(false, false, 0);
    }

    private final Folders folders;

    TriggerRules(Folders folders) {
        this.folders = folders;
    }

    List<PlatformProblem> check(TriggerType trigger, String owner) {
        List<PlatformProblem> problems = new ArrayList<>();
        FileDescriptorType descriptor = trigger.getFileDescriptor();
        if (trigger.getFileTransferUUID() != null) {
            problems.add(PlatformError.FILE_TRANSFER_UUID_IN_TRIGGER.because("FileTransferUUID '"
                    + trigger.getFileTransferUUID() + "' must not be set by the sender; the platform assigns it"));
        }
        if (!owner.equals(descriptor.getSender())) {
            problems.add(PlatformError.SENDER_MISMATCH.because("Sender is '" + descriptor.getSender()
                    + "' but the trigger lies in the OUT folder of '" + owner + "'"));
        }
        List<String> recipients = recipients(trigger);
        for (String recipient : recipients) {
            if (!folders.isUser(recipient)) {
                problems.add(PlatformError.UNKNOWN_RECIPIENT.because(
                        "Recipients '" + recipient + "' is not a user of the platform"));
            }
        }
        String fileName = descriptor.getFileName();
        Optional<String> nameViolation = DataFileName.violation(fileName);
        if (nameViolation.isPresent()) {
            problems.add(PlatformError.FORBIDDEN_FILE_NAME.because("FileName: " + nameViolation.get()));
            return problems;
        }
        checkDataFile(owner, fileName, descriptor.getSizeInBytes(), problems);
        for (String recipient : recipients) {
            if (folders.isUser(recipient) && folders.waitingInIn(recipient, fileName)) {
                problems.add(PlatformError.FILE_NAME_IN_USE.because("'" + fileName + "' still lies in the IN "
                        + "folder of '" + recipient + "'; data file names must be unique per transfer"));
            }
        }
        return problems;
    }

    private void checkDataFile(String owner, String fileName, BigInteger declaredSize, List<PlatformProblem> problems) {
        DataFile dataFile = folders.dataFile(owner, fileName);
        if (!dataFile.exists()) {
            problems.add(PlatformError.DATA_FILE_MISSING.because("FileName '" + fileName
                    + "' is not in the OUT folder of '" + owner + "'; upload the data file before the trigger"));
        } else if (!dataFile.regular()) {
            problems.add(PlatformError.DATA_FILE_NOT_REGULAR.because(
                    "FileName '" + fileName + "' in the OUT folder of '" + owner + "' is not a regular file"));
        } else if (!BigInteger.valueOf(dataFile.size()).equals(declaredSize)) {
            problems.add(PlatformError.SIZE_MISMATCH.because("SizeInBytes is " + declaredSize + " but data file '"
                    + fileName + "' has " + dataFile.size() + " bytes"));
        }
    }

    /** The trigger's recipients, each once, in the order given. */
    static List<String> recipients(TriggerType trigger) {
        return List.copyOf(new LinkedHashSet<>(trigger.getFileDescriptor().getRecipients()));
    }

    /**
     * Sorts a trigger the hardened reader refused into the catalogue: a version other than XML 1.0 is
     * 104, schema violations (the parser reports {@code cvc-…} rules, or the wrong root element) are
     * 101, everything else (not well-formed, a DOCTYPE, an encoding error) is 100.
     */
    static PlatformProblem unreadable(SftpXmlException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains(SftpXml.XML_VERSION_REFUSED)) {
            return PlatformError.XML_VERSION_NOT_SUPPORTED.because(message);
        }
        boolean schema = message.contains("cvc-") || message.contains("root element is");
        return (schema ? PlatformError.SCHEMA_VIOLATION : PlatformError.MALFORMED_XML).because(message);
    }
}

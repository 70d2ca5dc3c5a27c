package dk.sf1820.serviceplatform.scan;

import dk.sf1820.schemas.registry.DataFileName;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.xml.FileMetadataType;
import dk.sf1820.schemas.xml.TriggerType;
import dk.sf1820.serviceplatform.sftp.PlatformUsers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a data file from the sender's OUT into each recipient's IN and writes {@code <file>.metadata}
 * beside it. All or nothing: if any step fails, what was placed is taken back and the data file is
 * left in OUT. A recipient sees the data file only under its final name and complete, and the
 * metadata only after the data file, because it reads the metadata first.
 */
final class RecipientDelivery {

    private static final Logger log = LoggerFactory.getLogger(RecipientDelivery.class);

    private final PlatformUsers users;
    private final MetadataForm metadataForm;

    RecipientDelivery(PlatformUsers users, MetadataForm metadataForm) {
        this.users = users;
        this.metadataForm = metadataForm;
    }

    void deliver(String fileTransferUUID, TriggerType trigger, Path dataFile) throws IOException {
        String fileName = trigger.getFileDescriptor().getFileName();
        List<String> recipients = TriggerRules.recipients(trigger);
        byte[] metadata = metadata(fileTransferUUID, trigger);
        Deque<Placed> placed = new ArrayDeque<>();
        try {
            // one recipient: a rename, as the platform moves; several: a copy each, the original removed last
            boolean move = recipients.size() == 1;
            for (String recipient : recipients) {
                Path temp = AtomicFiles.tempFor(users.in(recipient).resolve(fileName));
                if (move) {
                    Files.move(dataFile, temp, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    Files.copy(dataFile, temp, StandardCopyOption.REPLACE_EXISTING);
                }
                placed.push(new Placed(temp, move));
            }
            for (String recipient : recipients) {
                Path target = users.in(recipient).resolve(fileName);
                Placed staged = placed.stream()
                        .filter(p -> p.path().equals(AtomicFiles.tempFor(target)))
                        .findFirst()
                        .orElseThrow();
                Files.move(staged.path(), target, StandardCopyOption.ATOMIC_MOVE);
                placed.remove(staged);
                placed.push(new Placed(target, staged.movedFromOut()));
                Path metadataFile = target.resolveSibling(fileName + DataFileName.METADATA_SUFFIX);
                AtomicFiles.write(metadataFile, metadata);
                placed.push(new Placed(metadataFile, false));
                logRouted("File routed", fileTransferUUID, trigger, recipient);
            }
            if (!move) {
                Files.delete(dataFile);
            }
        } catch (IOException | RuntimeException e) {
            takeBack(placed, dataFile, fileTransferUUID);
            throw e;
        }
    }

    /**
     * Finishes a routing a stopped platform began ({@link RoutingJournal}): for each recipient whatever of
     * the data file and its metadata is not in place yet is put there, from the temporary copy in the
     * recipient's IN or from the sender's OUT. A recipient whose data file is nowhere any more, neither in
     * OUT nor in its IN, has taken it already and gets nothing again.
     */
    void resume(String fileTransferUUID, TriggerType trigger, Path dataFile) throws IOException {
        String fileName = trigger.getFileDescriptor().getFileName();
        List<String> recipients = TriggerRules.recipients(trigger);
        byte[] metadata = metadata(fileTransferUUID, trigger);
        boolean move = recipients.size() == 1;
        for (String recipient : recipients) {
            Path target = users.in(recipient).resolve(fileName);
            Path temp = AtomicFiles.tempFor(target);
            Path metadataFile = target.resolveSibling(fileName + DataFileName.METADATA_SUFFIX);
            if (!Files.exists(target)) {
                // a copy may have been cut short while the original was still in OUT: copy it again
                if (!move && Files.exists(dataFile)) {
                    Files.copy(dataFile, temp, StandardCopyOption.REPLACE_EXISTING);
                } else if (move && !Files.exists(temp) && Files.exists(dataFile)) {
                    Files.move(dataFile, temp, StandardCopyOption.ATOMIC_MOVE);
                }
                if (!Files.exists(temp)) {
                    log.warn(
                            "Routing resumed; the recipient has taken the file already fileTransferUUID={} "
                                    + "sendersFileId={} recipient={} file={}",
                            fileTransferUUID,
                            trigger.getFileDescriptor().getSendersFileId(),
                            recipient,
                            fileName);
                    continue;
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            }
            if (!Files.exists(metadataFile)) {
                AtomicFiles.write(metadataFile, metadata);
            }
            logRouted("File routed after a restart", fileTransferUUID, trigger, recipient);
        }
        if (!move) {
            Files.deleteIfExists(dataFile);
        }
    }

    private static void logRouted(String what, String fileTransferUUID, TriggerType trigger, String recipient) {
        log.info(
                "{} fileTransferUUID={} sendersFileId={} sender={} recipient={} file={}",
                what,
                fileTransferUUID,
                trigger.getFileDescriptor().getSendersFileId(),
                trigger.getFileDescriptor().getSender(),
                recipient,
                trigger.getFileDescriptor().getFileName());
    }

    private byte[] metadata(String fileTransferUUID, TriggerType trigger) {
        FileMetadataType metadata = new FileMetadataType();
        metadata.setFileTransferUUID(fileTransferUUID);
        metadata.setFileDescriptor(trigger.getFileDescriptor());
        metadata.setFileContentDescriptor(trigger.getFileContentDescriptor());
        return metadataForm == MetadataForm.TRIGGER ? SftpXml.writeAsTrigger(metadata) : SftpXml.write(metadata);
    }

    private static void takeBack(Deque<Placed> placed, Path dataFile, String fileTransferUUID) {
        for (Placed p : placed) {
            try {
                if (p.movedFromOut() && !Files.exists(dataFile)) {
                    Files.move(p.path(), dataFile, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    Files.deleteIfExists(p.path());
                }
            } catch (IOException e) {
                log.error(
                        "Cannot take back a partly delivered file fileTransferUUID={} file={}: {}",
                        fileTransferUUID,
                        p.path(),
                        e.toString());
            }
        }
    }

    /** A file this delivery put somewhere; {@code movedFromOut} when it is the sender's original. */
    private record Placed(Path path, boolean movedFromOut) {}
}

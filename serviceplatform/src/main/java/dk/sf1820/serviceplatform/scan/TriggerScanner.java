package dk.sf1820.serviceplatform.scan;

import dk.sf1820.schemas.registry.DataFileName;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.sftp.SftpXmlException;
import dk.sf1820.schemas.xml.TriggerType;
import dk.sf1820.serviceplatform.scan.ScanReport.Status;
import dk.sf1820.serviceplatform.scan.ScanReport.TriggerOutcome;
import dk.sf1820.serviceplatform.sftp.PlatformUsers;
import dk.sf1820.serviceplatform.sftp.UploadsInProgress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The platform's trigger scan: visits every {@code OUT/*.trigger} of every user, routes the data
 * file a valid trigger names, and answers each trigger with a technical receipt in the sender's IN.
 * Scans are serialised: a scheduled scan and {@link #scan()} on demand never run at the same time.
 */
public final class TriggerScanner {

    /** Triggers are a few hundred bytes; anything far larger is not a trigger and is not parsed. */
    public static final int MAX_TRIGGER_BYTES = 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(TriggerScanner.class);

    private final PlatformUsers users;
    private final UploadsInProgress uploads;
    private final TriggerRules rules;
    private final RecipientDelivery delivery;
    private final SenderReceipts receipts;
    private final RoutingJournal journal;
    private final BusinessReceipts businessReceipts;
    private final Clock clock;

    /** @param businessReceipts null when the platform writes only technical receipts (the default) */
    public TriggerScanner(
            PlatformUsers users,
            UploadsInProgress uploads,
            MetadataForm metadataForm,
            BusinessReceipts businessReceipts,
            Clock clock) {
        this.users = users;
        this.uploads = uploads;
        this.rules = new TriggerRules(new DiskFolders(users));
        this.delivery = new RecipientDelivery(users, metadataForm);
        this.receipts = new SenderReceipts(users);
        this.journal = new RoutingJournal(users.platformState().resolve("routing"));
        this.businessReceipts = businessReceipts;
        this.clock = clock;
    }

    public synchronized ScanReport scan() {
        ScanReport.Builder report = new ScanReport.Builder(clock.instant());
        for (String user : users.names()) {
            for (Path trigger : triggersIn(users.out(user))) {
                report.add(process(user, trigger));
            }
        }
        ScanReport done = report.build();
        log.debug(
                "Trigger scan done triggers={} delivered={} rejected={} deferred={}",
                done.triggers().size(),
                done.delivered().size(),
                done.rejected().size(),
                done.deferred().size());
        return done;
    }

    private static List<Path> triggersIn(Path out) {
        List<Path> triggers = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(out, "*" + DataFileName.TRIGGER_SUFFIX)) {
            for (Path file : files) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    triggers.add(file);
                }
            }
        } catch (IOException e) {
            // one user's unreadable folder must not stop the routing of everybody else's files
            log.error("Cannot list triggers folder={}: {}", out, e.toString());
            return List.of();
        }
        triggers.sort(null);
        return triggers;
    }

    private TriggerOutcome process(String user, Path triggerFile) {
        String triggerName = triggerFile.getFileName().toString();
        if (uploads.isBeingWritten(triggerFile)) {
            return deferred(user, triggerName, null, null);
        }
        String fileTransferUUID = UUID.randomUUID().toString();
        boolean resumed = false;
        List<PlatformProblem> problems = new ArrayList<>();
        TriggerType trigger = read(user, triggerFile, problems);
        String fileName = trigger == null ? null : trigger.getFileDescriptor().getFileName();
        String sendersFileId =
                trigger == null ? null : trigger.getFileDescriptor().getSendersFileId();
        if (sendersFileId != null) {
            MDC.put("transferId", sendersFileId);
        }
        try {
            if (trigger != null) {
                if (DataFileName.violation(fileName).isEmpty()
                        && uploads.isBeingWritten(users.out(user).resolve(fileName))) {
                    return deferred(user, triggerName, fileName, sendersFileId);
                }
                if (receipts.answered(user, receiptBaseName(triggerName, fileName), sendersFileId, triggerFile)) {
                    journal.end(user, triggerName);
                    return answeredBefore(user, triggerFile, fileName, sendersFileId);
                }
                Optional<String> begun = journal.begun(user, triggerName, sendersFileId, fileName);
                if (begun.isPresent()) {
                    // checked before its routing began; its data file may have left OUT since
                    fileTransferUUID = begun.get();
                    resumed = true;
                } else {
                    problems.addAll(rules.check(trigger, user));
                }
            }
            log.info(
                    "Trigger processed fileTransferUUID={} sendersFileId={} sender={} trigger={} file={} "
                            + "problems={}",
                    fileTransferUUID,
                    sendersFileId,
                    user,
                    triggerName,
                    fileName,
                    problems);
            if (problems.isEmpty()) {
                try {
                    Path dataFile = users.out(user).resolve(fileName);
                    if (resumed) {
                        delivery.resume(fileTransferUUID, trigger, dataFile);
                    } else {
                        journal.begin(user, triggerName, fileTransferUUID, sendersFileId, fileName);
                        delivery.deliver(fileTransferUUID, trigger, dataFile);
                    }
                } catch (IOException | RuntimeException e) {
                    log.error(
                            "Routing failed fileTransferUUID={} sendersFileId={} file={}",
                            fileTransferUUID,
                            sendersFileId,
                            fileName,
                            e);
                    problems.add(PlatformError.ROUTING_FAILED.because("Delivery of '" + fileName
                            + "' failed on the platform (" + e.getClass().getSimpleName() + "); the data file stays "
                            + "in OUT, send it again with a new trigger"));
                }
            }
            String receiptName = receiptBaseName(triggerName, fileName);
            boolean answered = answer(user, triggerFile, receiptName, fileTransferUUID, sendersFileId, problems);
            if (businessReceipts != null && trigger != null) {
                answerForRecipients(user, trigger, receiptName, fileTransferUUID, problems);
            }
            Status status = problems.isEmpty() ? Status.DELIVERED : Status.REJECTED;
            String note = (problems.isEmpty()
                            ? "delivered to " + TriggerRules.recipients(trigger)
                            : "rejected: " + problems)
                    + (answered ? "" : "; the receipt could not be written, the trigger stays for the next scan");
            return new TriggerOutcome(
                    user, triggerName, fileName, sendersFileId, fileTransferUUID, status, problems, note);
        } finally {
            MDC.remove("transferId");
        }
    }

    /**
     * Writes the receipt, then removes the trigger: the trigger is the sender's only claim to an answer,
     * so it goes only once the answer is there. A trigger whose receipt could not be written stays for
     * the next scan. A crash between the two leaves a trigger that {@link SenderReceipts#answered}
     * recognises at the next scan, so the transfer is not answered twice.
     *
     * @return whether the receipt was written
     */
    private boolean answer(
            String user,
            Path triggerFile,
            String receiptName,
            String fileTransferUUID,
            String sendersFileId,
            List<PlatformProblem> problems) {
        try {
            if (problems.isEmpty()) {
                receipts.success(user, receiptName, fileTransferUUID, sendersFileId);
            } else {
                receipts.failure(user, receiptName, fileTransferUUID, sendersFileId, problems);
            }
        } catch (IOException | RuntimeException e) {
            log.error(
                    "Cannot write the receipt; the trigger stays fileTransferUUID={} sendersFileId={} trigger={} "
                            + "receipt={}",
                    fileTransferUUID,
                    sendersFileId,
                    triggerFile,
                    receiptName,
                    e);
            return false;
        }
        // The routing note goes before the trigger: a platform stopped between the two finds the receipt
        // (answered before), where a note outliving its trigger could pass a later trigger of the same name
        // and transfer as a routing to finish, unchecked.
        journal.end(user, triggerFile.getFileName().toString());
        try {
            Files.deleteIfExists(triggerFile);
        } catch (IOException e) {
            log.error(
                    "Cannot remove an answered trigger fileTransferUUID={} sendersFileId={} trigger={}",
                    fileTransferUUID,
                    sendersFileId,
                    triggerFile,
                    e);
        }
        return true;
    }

    /** The platform stopped between writing this trigger's receipt and removing it: remove it now. */
    private TriggerOutcome answeredBefore(String user, Path triggerFile, String fileName, String sendersFileId) {
        String triggerName = triggerFile.getFileName().toString();
        log.warn(
                "Trigger was answered before a restart; removing it without answering again sendersFileId={} "
                        + "sender={} trigger={}",
                sendersFileId,
                user,
                triggerName);
        try {
            Files.deleteIfExists(triggerFile);
        } catch (IOException e) {
            log.error("Cannot remove an answered trigger sendersFileId={} trigger={}", sendersFileId, triggerFile, e);
        }
        return new TriggerOutcome(
                user,
                triggerName,
                fileName,
                sendersFileId,
                null,
                Status.ANSWERED_BEFORE,
                List.of(),
                "answered before a restart: its receipt is already in IN");
    }

    /** After the technical receipt: it is the one SF1820 promises, so it must not wait for this one. */
    private void answerForRecipients(
            String user,
            TriggerType trigger,
            String receiptName,
            String fileTransferUUID,
            List<PlatformProblem> problems) {
        String sendersFileId = trigger.getFileDescriptor().getSendersFileId();
        String fileName = trigger.getFileDescriptor().getFileName();
        List<String> recipients = TriggerRules.recipients(trigger);
        try {
            if (problems.isEmpty()) {
                businessReceipts.accepted(user, receiptName, fileName, fileTransferUUID, sendersFileId, recipients);
            } else {
                businessReceipts.rejected(
                        user, receiptName, fileName, fileTransferUUID, sendersFileId, recipients, problems);
            }
        } catch (IOException e) {
            log.error(
                    "Cannot write business receipt fileTransferUUID={} sendersFileId={} file={}",
                    fileTransferUUID,
                    sendersFileId,
                    receiptName,
                    e);
        }
    }

    private static TriggerType read(String user, Path triggerFile, List<PlatformProblem> problems) {
        String source = user + "/" + PlatformUsers.OUT + "/" + triggerFile.getFileName();
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(triggerFile, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.size() > MAX_TRIGGER_BYTES) {
                problems.add(PlatformError.TRIGGER_TOO_LARGE.because("Trigger " + source + " has " + attributes.size()
                        + " bytes; at most " + MAX_TRIGGER_BYTES + " are read"));
                return null;
            }
            try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(triggerFile))) {
                return SftpXml.readTrigger(in, source);
            }
        } catch (SftpXmlException e) {
            problems.add(TriggerRules.unreadable(e));
        } catch (IOException e) {
            problems.add(PlatformError.ROUTING_FAILED.because("Trigger " + source + " cannot be read: " + e));
        }
        return null;
    }

    /**
     * The receipt is named after the data file. Where the trigger is unreadable or its {@code FileName}
     * breaks the rules, after the trigger's own name without {@code .trigger}, made fit to be found: not
     * hidden (leading dots dropped), control characters as {@code _}, and cut to
     * {@link DataFileName#MAX_DELIVERABLE_LENGTH} bytes, because a trigger's name may itself be 255 bytes
     * long and the receipt's suffix must still fit. The receipt carries the {@code SendersFileId} where
     * the trigger could be read.
     */
    static String receiptBaseName(String triggerName, String fileName) {
        if (fileName != null && DataFileName.violation(fileName).isEmpty()) {
            return fileName;
        }
        String stripped = triggerName.substring(0, triggerName.length() - DataFileName.TRIGGER_SUFFIX.length());
        String base = (stripped.isEmpty() ? triggerName : stripped)
                .replaceFirst("^\\.+", "")
                .replaceAll("[\\p{Cntrl}]", "_");
        if (base.isEmpty()) {
            base = "trigger";
        }
        int end = 0;
        int bytes = 0;
        while (end < base.length()) {
            int next = base.offsetByCodePoints(end, 1);
            bytes += DataFileName.utf8Length(base.substring(end, next));
            if (bytes > DataFileName.MAX_DELIVERABLE_LENGTH) {
                break;
            }
            end = next;
        }
        return base.substring(0, end);
    }

    private static TriggerOutcome deferred(String user, String triggerName, String fileName, String sendersFileId) {
        log.info(
                "Trigger deferred to the next scan sendersFileId={} sender={} trigger={} reason=still being written",
                sendersFileId,
                user,
                triggerName);
        return new TriggerOutcome(
                user,
                triggerName,
                fileName,
                sendersFileId,
                null,
                Status.DEFERRED,
                List.of(),
                "deferred: still being written");
    }

    /** The rules' view of the file system. */
    private record DiskFolders(PlatformUsers users) implements TriggerRules.Folders {

        @Override
        public boolean isUser(String user) {
            return users.isRegistered(user);
        }

        @Override
        public TriggerRules.DataFile dataFile(String owner, String fileName) {
            Path file = users.out(owner).resolve(fileName);
            try {
                BasicFileAttributes a =
                        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                return new TriggerRules.DataFile(true, a.isRegularFile(), a.size());
            } catch (IOException e) {
                return TriggerRules.DataFile.ABSENT;
            }
        }

        @Override
        public boolean waitingInIn(String recipient, String fileName) {
            Path in = users.in(recipient);
            return Files.exists(in.resolve(fileName), LinkOption.NOFOLLOW_LINKS)
                    || Files.exists(in.resolve(fileName + DataFileName.METADATA_SUFFIX), LinkOption.NOFOLLOW_LINKS);
        }
    }
}

package dk.sf1820.receipts.housekeeping;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.receipts.KnownTransfers;
import dk.sf1820.receipts.OwnedSenders;
import dk.sf1820.receipts.SenderFolders;
import dk.sf1820.receipts.ownership.SenderOwnership;
import dk.sf1820.receipts.poll.ReceiptPoller;
import dk.sf1820.schemas.HousekeepingAction;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.registry.DataFileName;
import dk.sf1820.schemas.sftp.PlatformRetention;
import dk.sf1820.sftp.RemoteFile;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpConnection;
import dk.sf1820.sftp.SftpConnector;
import dk.sf1820.sftp.SftpException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The sender's periodic housekeeping on the platform (SF1820 section 4), per sender account:
 * <ul>
 * <li><b>orphans</b>: a data file in OUT with no trigger beside it ({@code <file>.trigger}, or the
 * transporter's {@code <file>.trigger.part} being written) that is older than {@code orphan-age}
 * will never be routed, so it is deleted;</li>
 * <li><b>deadline</b>: every file of ours in OUT or IN unmodified for {@code deadline-warning-after}
 * (20 days) is reported, because the platform deletes it at 30 days (it mails the owner at 20; the
 * tracker says it where operators look, in the log and the audit trail).</li>
 * </ul>
 * Each deletion and each report is a structured log line naming sender and path, and, when the
 * tracker knows the transfer the file belongs to, a {@code HousekeepingPerformed} event on
 * {@code sf1820.housekeeping} keyed by its transferId. A deadline report is published once per file
 * version (path, time and size) in the whole cluster: the sender's owner records it on the duties
 * topic, where a later owner finds it ({@link SenderOwnership#markDone}); the log line repeats at every
 * sweep until someone acts.
 *
 * <p>Receipts in IN are never deleted here: handled ones are gone already, and the ones left are
 * kept on purpose for an operator ({@link ReceiptPoller}). Hidden files (a leading dot, the
 * platform's temporary names) are left alone.
 */
public class SenderFolderSweep {

    private static final Logger log = LoggerFactory.getLogger(SenderFolderSweep.class);
    /** Said where a file cannot be tied to a transfer the tracker knows (another instance's, or not ours). */
    private static final String UNKNOWN = "unknown";

    private final OwnedSenders senders;
    private final SftpConnector connector;
    private final EventPublisher publisher;
    private final KnownTransfers transfers;
    private final Duration orphanAge;
    private final Duration deadlineWarningAfter;
    private final SenderFolders folders;
    private final Clock clock;

    /** @param senders the senders whose folders are swept, each by the instance that owns it */
    public SenderFolderSweep(
            OwnedSenders senders,
            SftpConnector connector,
            EventPublisher publisher,
            KnownTransfers transfers,
            Duration orphanAge,
            Duration deadlineWarningAfter,
            SenderFolders folders,
            Clock clock) {
        this.senders = senders;
        this.connector = connector;
        this.publisher = publisher;
        this.transfers = transfers;
        this.orphanAge = orphanAge;
        this.deadlineWarningAfter = deadlineWarningAfter;
        this.folders = folders;
        this.clock = clock;
    }

    /** The SFTP users whose folders are swept. */
    public List<String> senders() {
        return senders.users();
    }

    /**
     * One sweep of the OUT and IN of every sender this instance owns ({@link SenderOwnership});
     * synchronized, so a scheduled sweep and a manual one never overlap.
     */
    public synchronized SweepReport sweepOnce() {
        if (!transfers.ready() || !senders.ready()) {
            // without the store no file can be tied to its transfer; nothing is so urgent it cannot wait
            log.info("housekeeping sweep skipped: the correlation state or the sender ownership is not ready yet");
            return SweepReport.skippedSweep();
        }
        Instant now = clock.instant();
        SweepReport.Builder report = new SweepReport.Builder();
        OwnedSenders.Round round = senders.forEachOwned("housekeeping sweep", sender -> sweep(sender, now, report));
        round.done().forEach(report::swept);
        round.failed().forEach(report::failed);
        SweepReport done = report.build();
        if (!done.orphansDeleted().isEmpty()
                || !done.nearDeadline().isEmpty()
                || !done.failedSenders().isEmpty()) {
            log.info(
                    "housekeeping sweep done orphansDeleted={} nearDeadline={} failedSenders={}",
                    done.orphansDeleted().size(),
                    done.nearDeadline().size(),
                    done.failedSenders().keySet());
        }
        return done;
    }

    private void sweep(SftpAccount sender, Instant now, SweepReport.Builder report) throws SftpException {
        try (SftpConnection connection = connector.open(sender)) {
            List<RemoteFile> out = connection.files(folders.out());
            for (RemoteFile file : out) {
                if (isOrphan(file, out, now)) {
                    deleteOrphan(connection, file, now, report);
                } else {
                    checkDeadline(sender.user(), folders.inOut(file.name()), file, now, report);
                }
            }
            for (RemoteFile file : connection.files(folders.in())) {
                checkDeadline(sender.user(), folders.inIn(file.name()), file, now, report);
            }
        }
    }

    private boolean isOrphan(RemoteFile file, List<RemoteFile> out, Instant now) {
        String name = file.name();
        if (name.startsWith(".") || name.contains(DataFileName.TRIGGER_SUFFIX)) {
            return false; // a trigger, a trigger being written, or a temporary file: not a data file
        }
        boolean triggered = out.stream().anyMatch(other -> other.name().startsWith(name + DataFileName.TRIGGER_SUFFIX));
        return !triggered && !file.modifiedAt().plus(orphanAge).isAfter(now);
    }

    private void deleteOrphan(SftpConnection connection, RemoteFile file, Instant now, SweepReport.Builder report)
            throws SftpException {
        String sender = connection.account().user();
        String path = folders.inOut(file.name());
        connection.delete(path);
        String age = Duration.between(file.modifiedAt(), now).toString();
        Optional<KnownTransfers.KnownTransfer> transfer = transfers.byFileName(sender, file.name());
        String transferId = transfer.map(t -> t.ref().transferId()).orElse(UNKNOWN);
        try (var ignored = MDC.putCloseable("transferId", transferId)) {
            transfer.ifPresent(t -> publisher.publish(
                    Topics.HOUSEKEEPING,
                    HousekeepingEvents.of(
                            t.ref(),
                            HousekeepingAction.ORPHAN_DELETED,
                            sender,
                            path,
                            file.modifiedAt(),
                            "data file without a trigger for " + age + " (orphan-age " + orphanAge + ")",
                            clock)));
            log.warn(
                    "orphan deleted transferId={} sender={} path={} sizeBytes={} lastModified={} age={}",
                    transferId,
                    sender,
                    path,
                    file.size(),
                    file.modifiedAt(),
                    age);
        }
        report.orphanDeleted(sender + ":" + path);
    }

    private void checkDeadline(String sender, String path, RemoteFile file, Instant now, SweepReport.Builder report) {
        if (file.name().startsWith(".")
                || file.modifiedAt().plus(deadlineWarningAfter).isAfter(now)) {
            return;
        }
        Instant deletedAt = file.modifiedAt().plus(PlatformRetention.RETENTION);
        Optional<KnownTransfers.KnownTransfer> transfer = transfers.byFileName(sender, dataFileName(file.name()));
        String transferId = transfer.map(t -> t.ref().transferId()).orElse(UNKNOWN);
        try (var ignored = MDC.putCloseable("transferId", transferId)) {
            log.warn(
                    "file near the platform's 30-day deletion transferId={} sender={} path={} lastModified={} "
                            + "platformDeletesAt={}",
                    transferId,
                    sender,
                    path,
                    file.modifiedAt(),
                    deletedAt);
            String version = fileVersion(HousekeepingAction.DEADLINE_NEAR, path, file);
            if (transfer.isPresent() && !senders.ownership().done(sender, version)) {
                publisher.publish(
                        Topics.HOUSEKEEPING,
                        HousekeepingEvents.of(
                                transfer.get().ref(),
                                HousekeepingAction.DEADLINE_NEAR,
                                sender,
                                path,
                                file.modifiedAt(),
                                "unmodified since " + file.modifiedAt() + "; the platform deletes it at " + deletedAt,
                                clock));
                // after the event: a crash in between repeats the report rather than lose it
                senders.ownership().markDone(sender, version);
            }
        }
        report.nearDeadline(sender + ":" + path);
    }

    /** A duty done once per file version: the same path rewritten (new time or size) is a new version. */
    static String fileVersion(HousekeepingAction action, String path, RemoteFile file) {
        return action.name() + " " + path + "@" + file.modifiedAt() + ":" + file.size();
    }

    /** The data file a name in the sender's folders belongs to: a receipt or trigger names it first. */
    public static String dataFileName(String name) {
        int trigger = name.indexOf(DataFileName.TRIGGER_SUFFIX);
        if (trigger > 0) {
            return name.substring(0, trigger);
        }
        return name.endsWith(DataFileName.RECEIPT_SUFFIX)
                ? name.substring(0, name.length() - DataFileName.RECEIPT_SUFFIX.length())
                : name;
    }
}

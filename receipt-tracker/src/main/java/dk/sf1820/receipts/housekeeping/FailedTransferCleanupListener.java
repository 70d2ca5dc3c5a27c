package dk.sf1820.receipts.housekeeping;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.receipts.SenderFolders;
import dk.sf1820.schemas.HousekeepingAction;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.events.Events;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.schemas.registry.DataFileName;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.sftp.RemoteFile;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpConnection;
import dk.sf1820.sftp.SftpConnector;
import dk.sf1820.sftp.SftpException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecordBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * The sender's duty after a failure (SF1820 section 4): when the platform rejects a trigger it
 * removes the trigger but leaves the data file in the sender's OUT, and the sender must delete it.
 *
 * <p>Only failures the platform answered (they carry its FileTransferUUID) are cleaned here. When the
 * transporter gave up instead, the platform never took the trigger, and whatever it left in OUT is
 * an orphan for {@link SenderFolderSweep}, which waits {@code orphan-age} first. A data file next to
 * a trigger of the same name is never touched: the platform may still be about to read it.
 *
 * <p>Idempotent on redelivery: a file already gone is no error and yields no second event. A crash
 * between the delete and the publish loses the event, never a file of another transfer.
 */
public class FailedTransferCleanupListener {

    /**
     * Not {@code sf1820-receipt-tracker}: that is the correlation's Streams application id, and a
     * plain consumer in the Streams group would be refused (or would steal its partitions).
     */
    static final String GROUP = "sf1820-receipt-tracker-housekeeping";

    private static final Logger log = LoggerFactory.getLogger(FailedTransferCleanupListener.class);

    private final Map<String, SftpAccount> senders;
    private final FagsystemRegistry registry;
    private final SftpConnector connector;
    private final EventPublisher publisher;
    private final SenderFolders folders;
    private final Clock clock;

    public FailedTransferCleanupListener(
            List<SftpAccount> senders,
            FagsystemRegistry registry,
            SftpConnector connector,
            EventPublisher publisher,
            SenderFolders folders,
            Clock clock) {
        this.senders = senders.stream().collect(Collectors.toMap(SftpAccount::user, Function.identity()));
        this.registry = registry;
        this.connector = connector;
        this.publisher = publisher;
        this.folders = folders;
        this.clock = clock;
    }

    @KafkaListener(
            id = "sf1820-receipt-tracker-cleanup",
            groupId = GROUP,
            topics = "#{T(dk.sf1820.schemas.Topics).DELIVERY_OUTCOME.name()}")
    void onDeliveryOutcome(SpecificRecordBase event) throws SftpException {
        if (!(event instanceof DeliveryFailed failed)) {
            log.debug("ignored event={} on topic={}", Events.typeOf(event), Topics.DELIVERY_OUTCOME);
            return;
        }
        try (var ignored = MDC.putCloseable("transferId", failed.getTransferId())) {
            clean(failed);
        }
    }

    void clean(DeliveryFailed failed) throws SftpException {
        String transferId = failed.getTransferId();
        if (failed.getFileTransferUUID() == null) {
            log.info(
                    "no cleanup after failure transferId={} fileName={}: the platform never answered; "
                            + "a data file left in OUT is swept as an orphan",
                    transferId,
                    failed.getFileName());
            return;
        }
        Optional<SftpAccount> account = registry.find(failed.getFagsystem()).map(f -> senders.get(f.sftpUser()));
        if (account.isEmpty()) {
            // another tracker instance polls this sender (scaled out across fagsystems) and cleans up there
            log.debug(
                    "no cleanup here transferId={} fagsystem={}: not one of this tracker's senders",
                    transferId,
                    failed.getFagsystem());
            return;
        }
        String path = folders.inOut(failed.getFileName());
        try (SftpConnection connection = connector.open(account.get())) {
            List<String> out = connection.files(folders.out()).stream()
                    .map(RemoteFile::name)
                    .toList();
            if (out.contains(failed.getFileName() + DataFileName.TRIGGER_SUFFIX)) {
                log.warn(
                        "data file kept after failure transferId={} sender={} path={}: a trigger of the same name "
                                + "lies in OUT again, so the platform may still read it",
                        transferId,
                        account.get().user(),
                        path);
                return;
            }
            if (!out.contains(failed.getFileName())) {
                // gone already (a redelivered outcome), never uploaded, or no regular file: nothing of ours to delete
                log.info(
                        "no data file to delete after failure transferId={} sender={} path={}",
                        transferId,
                        account.get().user(),
                        path);
                return;
            }
            connection.delete(path);
        }
        String codes = failed.getErrors().stream()
                .map(e -> Integer.toString(e.getCode()))
                .collect(Collectors.joining(","));
        publisher.publish(
                Topics.HOUSEKEEPING,
                HousekeepingEvents.of(
                        TransferRef.of(failed),
                        HousekeepingAction.FAILED_DATA_FILE_DELETED,
                        account.get().user(),
                        path,
                        null,
                        "the platform rejected the transfer (fileTransferUUID=" + failed.getFileTransferUUID()
                                + ", errors " + codes + ") and left the data file in OUT",
                        clock));
        log.info(
                "data file deleted after failure transferId={} sender={} path={} errorCodes={}",
                transferId,
                account.get().user(),
                path,
                codes);
    }
}

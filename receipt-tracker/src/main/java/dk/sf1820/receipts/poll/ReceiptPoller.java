package dk.sf1820.receipts.poll;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.receipts.KnownTransfers;
import dk.sf1820.receipts.OwnedSenders;
import dk.sf1820.receipts.SenderFolders;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.BusinessReceiptReceived;
import dk.sf1820.schemas.avro.ReceiptReceived;
import dk.sf1820.schemas.registry.DataFileName;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.sftp.SftpXmlException;
import dk.sf1820.schemas.xml.BusinessReceiptType;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpConnection;
import dk.sf1820.sftp.SftpConnector;
import dk.sf1820.sftp.SftpException;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reads the technical receipts the platform writes into each sender's {@code IN} folder and
 * publishes them as {@code ReceiptReceived}, and its business receipts ({@code <file>.businessreceipt},
 * {@code <file>.<recipient>.businessreceipt}) as {@code BusinessReceiptReceived}.
 *
 * <p>A receipt is deleted only after Kafka acknowledged its event: a crash in between leaves it in
 * IN and the next poll publishes it again, which the correlation topology recognises as a
 * duplicate. A receipt that cannot be read or tied to a transfer stays in IN and is reported at
 * every poll until an operator handles it (the platform deletes it after 30 days). One sender's
 * unreachable account does not hold up the others.
 */
public class ReceiptPoller {

    private static final Logger log = LoggerFactory.getLogger(ReceiptPoller.class);

    private final OwnedSenders senders;
    private final SftpConnector connector;
    private final EventPublisher publisher;
    private final KnownTransfers transfers;
    private final ReceiptMatcher matcher;
    private final ReceiptArchive archive;
    private final SenderFolders folders;
    private final Clock clock;

    /** @param senders the senders whose IN is read, each by the instance that owns it */
    public ReceiptPoller(
            OwnedSenders senders,
            SftpConnector connector,
            EventPublisher publisher,
            KnownTransfers transfers,
            ReceiptMatcher matcher,
            ReceiptArchive archive,
            SenderFolders folders,
            Clock clock) {
        this.senders = senders;
        this.connector = connector;
        this.publisher = publisher;
        this.transfers = transfers;
        this.matcher = matcher;
        this.archive = archive;
        this.folders = folders;
        this.clock = clock;
    }

    /** The SFTP users whose IN this poller reads. */
    public List<String> senders() {
        return senders.users();
    }

    /**
     * One poll of the IN of every sender this instance owns ({@link OwnedSenders}); synchronized, so
     * a scheduled poll and a manual one never overlap.
     */
    public synchronized PollReport pollOnce() {
        if (!transfers.ready()) {
            log.info("receipt poll skipped: the correlation state is not ready yet; receipts stay in IN");
            return PollReport.skippedPoll();
        }
        if (!senders.ready()) {
            log.info(
                    "receipt poll skipped: this instance does not know yet which senders it owns; receipts stay in IN");
            return PollReport.skippedPoll();
        }
        PollReport.Builder report = new PollReport.Builder();
        OwnedSenders.Round round = senders.forEachOwned("receipt poll", sender -> poll(sender, report));
        round.done().forEach(report::polled);
        round.failed().forEach(report::failed);
        PollReport done = report.build();
        if (!done.published().isEmpty()
                || !done.kept().isEmpty()
                || !done.failedSenders().isEmpty()) {
            log.info(
                    "receipt poll done published={} kept={} failedSenders={}",
                    done.published().size(),
                    done.kept().size(),
                    done.failedSenders().keySet());
        }
        return done;
    }

    private void poll(SftpAccount sender, PollReport.Builder report) throws SftpException {
        try (SftpConnection connection = connector.open(sender)) {
            for (String name : connection.list(folders.in())) {
                if (name.endsWith(DataFileName.RECEIPT_SUFFIX)) {
                    handle(connection, name, report);
                } else if (name.endsWith(DataFileName.BUSINESS_RECEIPT_SUFFIX)) {
                    handleBusiness(connection, name, report);
                }
            }
        }
    }

    private void handle(SftpConnection connection, String name, PollReport.Builder report) throws SftpException {
        String sender = connection.account().user();
        String path = folders.inIn(name);
        String where = sender + ":" + path;
        String fileName = name.substring(0, name.length() - DataFileName.RECEIPT_SUFFIX.length());
        byte[] content = connection.read(path);
        TechnicalReceiptType receipt;
        ReceiptMatcher.Correlation correlation;
        try {
            receipt = SftpXml.readTechnicalReceipt(new ByteArrayInputStream(content), where);
            correlation = matcher.match(sender, fileName, receipt);
        } catch (SftpXmlException | ReceiptNotCorrelatedException e) {
            log.warn("receipt kept in IN receipt={} reason={}", where, e.getMessage());
            report.kept(where, e.getMessage());
            return;
        }
        ReceiptReceived event = ReceiptEvents.of(correlation, sender, fileName, path, receipt, clock);
        try (var ignored = MDC.putCloseable("transferId", event.getTransferId())) {
            publisher.publish(Topics.RECEIPT_RECEIVED, event);
            // the copy before the delete: a failed copy leaves the receipt in IN, and the next poll's
            // second ReceiptReceived is a duplicate the correlation drops
            archive.keep(sender, name, content);
            // only now: had the publish failed, the receipt would still be in IN for the next poll
            connection.delete(path);
            log.info(
                    "receipt handled transferId={} receipt={} success={} correlatedBy={} fileTransferUUID={}",
                    event.getTransferId(),
                    where,
                    event.getSuccess(),
                    event.getCorrelatedBy(),
                    event.getFileTransferUUID());
            report.published(where);
        }
    }

    /**
     * A business receipt names no SendersFileId, only the data file ({@code Filename}): the transfer is
     * the sender's latest upload of that name, wherever it is correlated. It adds to the transfer's
     * trail and never settles it; one whose transfer is unknown stays in IN and is reported.
     */
    private void handleBusiness(SftpConnection connection, String name, PollReport.Builder report)
            throws SftpException {
        String sender = connection.account().user();
        String path = folders.inIn(name);
        String where = sender + ":" + path;
        byte[] content = connection.read(path);
        BusinessReceiptType receipt;
        KnownTransfers.KnownTransfer transfer;
        try {
            receipt = SftpXml.readBusinessReceipt(new ByteArrayInputStream(content), where);
            String fileName = BusinessReceiptEvents.dataFileName(name, receipt);
            transfer = transfers
                    .byFileName(sender, fileName)
                    .orElseThrow(() -> new ReceiptNotCorrelatedException(
                            "no upload of " + fileName + " by " + sender + " is known to the tracker"));
        } catch (SftpXmlException | ReceiptNotCorrelatedException e) {
            log.warn("business receipt kept in IN receipt={} reason={}", where, e.getMessage());
            report.kept(where, e.getMessage());
            return;
        }
        BusinessReceiptReceived event = BusinessReceiptEvents.of(transfer, sender, path, receipt, clock);
        try (var ignored = MDC.putCloseable("transferId", event.getTransferId())) {
            publisher.publish(Topics.RECEIPT_RECEIVED, event);
            archive.keep(sender, name, content);
            connection.delete(path);
            if (BusinessReceiptEvents.ACCEPTED.equals(event.getFileAcceptance())) {
                log.info(
                        "business receipt handled transferId={} receipt={} recipient={} acceptance={}",
                        event.getTransferId(),
                        where,
                        event.getRecipient(),
                        event.getFileAcceptance());
            } else {
                log.warn(
                        "business receipt handled transferId={} receipt={} recipient={} acceptance={} reason={}",
                        event.getTransferId(),
                        where,
                        event.getRecipient(),
                        event.getFileAcceptance(),
                        event.getReason());
            }
            report.published(where);
        }
    }
}

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
import dk.sf1820.sftp.RemoteFile;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpConnection;
import dk.sf1820.sftp.SftpConnector;
import dk.sf1820.sftp.SftpException;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.ArrayList;
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
    /**
     * The most a receipt may weigh to be read: the platform's are a few hundred bytes. A file named like one but
     * larger is kept unread, so that no file in IN can make every poll read megabytes, or gigabytes into memory.
     */
    static final long MAX_RECEIPT_BYTES = 1024 * 1024;

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
            List<String> names = new ArrayList<>();
            for (RemoteFile file : connection.files(folders.in())) {
                String name = file.name();
                if (!name.endsWith(DataFileName.RECEIPT_SUFFIX)
                        && !name.endsWith(DataFileName.BUSINESS_RECEIPT_SUFFIX)) {
                    continue;
                }
                if (file.size() > MAX_RECEIPT_BYTES) {
                    String where = sender.user() + ":" + folders.inIn(name);
                    String reason = "the file is " + file.size() + " bytes, more than the " + MAX_RECEIPT_BYTES
                            + " a receipt may be; not read";
                    log.warn("receipt kept in IN receipt={} reason={}", where, reason);
                    report.kept(where, reason);
                    continue;
                }
                names.add(name);
            }
            ReadAhead next = new ReadAhead(connection, names.isEmpty() ? null : folders.inIn(names.get(0)));
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                byte[] content = next.content();
                next = new ReadAhead(connection, i + 1 < names.size() ? folders.inIn(names.get(i + 1)) : null);
                if (name.endsWith(DataFileName.RECEIPT_SUFFIX)) {
                    handle(connection, name, content, next, report);
                } else {
                    handleBusiness(connection, name, content, next, report);
                }
            }
        }
    }

    /**
     * The next receipt's content, read while the current one's event waits for Kafka's acknowledgement: the
     * SFTP round trips of the read and the broker's of the acknowledgement overlap. Nothing of the next receipt
     * is published before the current one is deleted, so a crash still leaves at most one receipt published but
     * not deleted.
     */
    private static final class ReadAhead {
        private final SftpConnection connection;
        private final String path;
        private byte[] content;
        private SftpException failure;
        private boolean read;

        ReadAhead(SftpConnection connection, String path) {
            this.connection = connection;
            this.path = path;
        }

        /** Reads the next receipt now, if there is one; a failure is kept for {@link #content()}. */
        void read() {
            if (read || path == null) {
                return;
            }
            read = true;
            try {
                content = connection.read(path);
            } catch (SftpException e) {
                failure = e;
            }
        }

        /** @throws SftpException when the read failed: the sender's round stops there, as without read-ahead */
        byte[] content() throws SftpException {
            read();
            if (failure != null) {
                throw failure;
            }
            return content;
        }
    }

    private void handle(
            SftpConnection connection, String name, byte[] content, ReadAhead next, PollReport.Builder report)
            throws SftpException {
        String sender = connection.account().user();
        String path = folders.inIn(name);
        String where = sender + ":" + path;
        String fileName = name.substring(0, name.length() - DataFileName.RECEIPT_SUFFIX.length());
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
            EventPublisher.Pending published = publisher.publishLater(Topics.RECEIPT_RECEIVED, event);
            next.read();
            published.await();
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
    private void handleBusiness(
            SftpConnection connection, String name, byte[] content, ReadAhead next, PollReport.Builder report)
            throws SftpException {
        String sender = connection.account().user();
        String path = folders.inIn(name);
        String where = sender + ":" + path;
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
            EventPublisher.Pending published = publisher.publishLater(Topics.RECEIPT_RECEIVED, event);
            next.read();
            published.await();
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

package dk.sf1820.receipts;

import dk.sf1820.schemas.events.TransferRef;
import java.util.Optional;

/**
 * What the tracker knows of the transfers it correlates, for the receipt poller: the receipt file
 * itself names only a SendersFileId (or only a data file name), but the event it becomes must carry
 * the transfer's fagsystem, authority and period.
 */
public interface KnownTransfers {

    /** A transfer as the tracker recorded it, from its upload event (or an earlier receipt). */
    record KnownTransfer(TransferRef ref, String sender, String fileName) {}

    /** False while the tracker's state cannot be queried (starting, rebalancing, stopped). */
    boolean ready();

    Optional<KnownTransfer> byTransferId(String transferId);

    /** The transfer whose data file {@code fileName} the {@code sender} uploaded; the latest if names repeat. */
    Optional<KnownTransfer> byFileName(String sender, String fileName);
}

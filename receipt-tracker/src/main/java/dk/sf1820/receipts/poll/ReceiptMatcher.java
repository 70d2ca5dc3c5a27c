package dk.sf1820.receipts.poll;

import dk.sf1820.receipts.KnownTransfers;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.schemas.registry.DataFileName;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import java.util.Optional;

/**
 * Finds the transfer a technical receipt belongs to, and the fields its event must carry.
 *
 * <p>A receipt names its transfer by {@code SendersFileId}, the transferId the transporter wrote in
 * the trigger. Where the platform left it out, the data file name (the receipt's name without
 * {@code .sftpreceipt}) identifies the upload instead, which then must be known to the tracker.
 *
 * <p>The common fields come from the tracker's record of the upload. A receipt may overtake its
 * upload event (the transporter crashed between renaming the trigger and publishing), or the upload
 * may be recorded on another instance; then they are derived from the receipt itself: fagsystem
 * from the sender's SFTP user in the registry, authority and period from the data file name read by
 * that fagsystem's own {@code file-name-pattern} ({@link DataFileName#parse}). A receipt that allows
 * neither is not correlated.
 */
public class ReceiptMatcher {

    public static final String BY_SENDERS_FILE_ID = "SendersFileId";
    public static final String BY_FILE_NAME = "FileName";

    /** The transfer a receipt belongs to and how it was found. */
    record Correlation(TransferRef ref, String correlatedBy) {}

    private final KnownTransfers transfers;
    private final FagsystemRegistry registry;

    public ReceiptMatcher(KnownTransfers transfers, FagsystemRegistry registry) {
        this.transfers = transfers;
        this.registry = registry;
    }

    Correlation match(String sender, String fileName, TechnicalReceiptType receipt)
            throws ReceiptNotCorrelatedException {
        String sendersFileId = receipt.getSendersFileId() == null
                ? ""
                : receipt.getSendersFileId().strip();
        if (sendersFileId.isEmpty()) {
            return transfers
                    .byFileName(sender, fileName)
                    .map(known -> new Correlation(known.ref(), BY_FILE_NAME))
                    .orElseThrow(
                            () -> new ReceiptNotCorrelatedException("the receipt has no SendersFileId and no upload of "
                                    + fileName + " by " + sender + " is known to the tracker"));
        }
        Optional<KnownTransfers.KnownTransfer> upload = transfers.byTransferId(sendersFileId);
        if (upload.isPresent()
                && upload.get().sender() != null
                && !upload.get().sender().equals(sender)) {
            // The platform answers a sender in its own IN only: a receipt elsewhere naming this transfer is forged
            // or misrouted, and taking it would settle another sender's transfer with a verdict not its own.
            throw new ReceiptNotCorrelatedException("SendersFileId " + sendersFileId + " names a transfer uploaded by "
                    + upload.get().sender() + ", not by " + sender + " in whose IN the receipt lies");
        }
        Optional<TransferRef> known = upload.map(KnownTransfers.KnownTransfer::ref);
        TransferRef ref = known.or(() -> fromReceipt(sendersFileId, sender, fileName))
                .orElseThrow(() -> new ReceiptNotCorrelatedException("SendersFileId " + sendersFileId
                        + " is unknown to the tracker and " + fileName + " is no SF1820 data file name of a known "
                        + "fagsystem, so fagsystem, authority and period cannot be told"));
        return new Correlation(ref, BY_SENDERS_FILE_ID);
    }

    /** The sender's fagsystem reads the name by its own file name pattern; an unknown sender's name must tell whose it is. */
    private Optional<TransferRef> fromReceipt(String transferId, String sender, String fileName) {
        Optional<Fagsystem> senders =
                registry.all().stream().filter(f -> sender.equals(f.sftpUser())).findFirst();
        Optional<DataFileName.Parsed> name = senders.isPresent()
                ? DataFileName.parse(senders.get(), fileName)
                : DataFileName.parse(registry, fileName);
        return name.map(n -> new TransferRef(
                transferId, n.fagsystem().code(), n.authority(), n.period().value()));
    }
}

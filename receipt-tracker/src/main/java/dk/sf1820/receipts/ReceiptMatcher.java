package dk.sf1820.receipts;

import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * from the sender's SFTP user in the registry, authority and period from the SF1820 file name
 * ({@code KSD_DST_0561_M03_20180402134858.zip}). A receipt that allows neither is not correlated.
 */
class ReceiptMatcher {

    static final String BY_SENDERS_FILE_ID = "SendersFileId";
    static final String BY_FILE_NAME = "FileName";

    /** {@code <fagsystem>_<recipient>_<authority>_<period>_<yyyyMMddHHmmss>.zip} with any suffix. */
    private static final Pattern SF1820_NAME = Pattern.compile(
            "([A-Za-z0-9]+)_[A-Za-z0-9-]+_(\\d{4})_((?:\\d{4})?(?:M(?:0[1-9]|1[0-2])|K[1-4]|H[12]|Y))_\\d{14}\\..+");

    /** The transfer a receipt belongs to and how it was found. */
    record Correlation(TransferRef ref, String correlatedBy) {
    }

    private final KnownTransfers transfers;
    private final FagsystemRegistry registry;

    ReceiptMatcher(KnownTransfers transfers, FagsystemRegistry registry) {
        this.transfers = transfers;
        this.registry = registry;
    }

    Correlation match(String sender, String fileName, TechnicalReceiptType receipt) throws ReceiptNotCorrelatedException {
        String sendersFileId = receipt.getSendersFileId() == null ? "" : receipt.getSendersFileId().strip();
        if (sendersFileId.isEmpty()) {
            return transfers.byFileName(sender, fileName)
                    .map(known -> new Correlation(known.ref(), BY_FILE_NAME))
                    .orElseThrow(() -> new ReceiptNotCorrelatedException("the receipt has no SendersFileId and no upload of "
                            + fileName + " by " + sender + " is known to the tracker"));
        }
        Optional<TransferRef> known = transfers.byTransferId(sendersFileId).map(KnownTransfers.KnownTransfer::ref);
        TransferRef ref = known.or(() -> fromReceipt(sendersFileId, sender, fileName))
                .orElseThrow(() -> new ReceiptNotCorrelatedException("SendersFileId " + sendersFileId
                        + " is unknown to the tracker and " + fileName + " is no SF1820 data file name of a known "
                        + "fagsystem, so fagsystem, authority and period cannot be told"));
        return new Correlation(ref, BY_SENDERS_FILE_ID);
    }

    private Optional<TransferRef> fromReceipt(String transferId, String sender, String fileName) {
        Matcher name = SF1820_NAME.matcher(fileName);
        if (!name.matches()) {
            return Optional.empty();
        }
        Optional<Fagsystem> fagsystem = registry.all().stream().filter(f -> sender.equals(f.sftpUser())).findFirst()
                .or(() -> registry.find(name.group(1)));
        return fagsystem.map(f -> new TransferRef(transferId, f.code(), name.group(2), name.group(3)));
    }
}

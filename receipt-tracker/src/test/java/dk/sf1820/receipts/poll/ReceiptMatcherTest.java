package dk.sf1820.receipts.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sf1820.receipts.KnownTransfers;
import dk.sf1820.schemas.avro.ReceiptReceived;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReceiptMatcherTest {

    private static final String SENDER = "KSD_SFTPSIMPEL";
    private static final String FILE = "KSD_DST_0561_M03_20260302080000.zip";

    private final RecordedTransfers transfers = new RecordedTransfers();
    private final ReceiptMatcher matcher = new ReceiptMatcher(transfers, FagsystemRegistry.standard());

    @Test
    void knownTransferGivesTheUploadsFields() throws Exception {
        TransferRef upload = new TransferRef(UUID.randomUUID().toString(), "KSD", "0101", "2026K1");
        transfers.add(upload, SENDER, "KSD_DST_0101_K1_20260302080000.zip");

        var correlation = matcher.match(SENDER, FILE, receipt(upload.transferId()));

        assertThat(correlation.ref()).isEqualTo(upload);
        assertThat(correlation.correlatedBy()).isEqualTo(ReceiptMatcher.BY_SENDERS_FILE_ID);
    }

    /** A receipt in one sender's IN must not settle another sender's transfer, whatever SendersFileId it names. */
    @Test
    void receiptNamingAnotherSendersTransferIsNotCorrelated() {
        TransferRef dubu = new TransferRef(UUID.randomUUID().toString(), "DUBU", "0561", "M03");
        transfers.add(dubu, "DUBU_SFTPSIMPEL", "DUBU_DST_0561_M03_20260302080000.zip");

        assertThatThrownBy(() -> matcher.match(SENDER, FILE, receipt(dubu.transferId())))
                .isInstanceOf(ReceiptNotCorrelatedException.class)
                .hasMessageContaining("SendersFileId " + dubu.transferId())
                .hasMessageContaining("DUBU_SFTPSIMPEL")
                .hasMessageContaining(SENDER);
    }

    @Test
    void unknownTransferFallsBackToSenderAndFileName() throws Exception {
        String transferId = UUID.randomUUID().toString();

        var correlation = matcher.match(SENDER, FILE, receipt(transferId));

        assertThat(correlation.ref()).isEqualTo(new TransferRef(transferId, "KSD", "0561", "M03"));
    }

    @Test
    void receiptWithoutSendersFileIdIsMatchedByFileName() throws Exception {
        TransferRef upload = new TransferRef(UUID.randomUUID().toString(), "KSD", "0561", "M03");
        transfers.add(upload, SENDER, FILE);

        var correlation = matcher.match(SENDER, FILE, receipt(null));

        assertThat(correlation.ref()).isEqualTo(upload);
        assertThat(correlation.correlatedBy()).isEqualTo(ReceiptMatcher.BY_FILE_NAME);
    }

    @Test
    void receiptWithoutSendersFileIdOfAnUnknownUploadIsNotCorrelated() {
        assertThatThrownBy(() -> matcher.match(SENDER, FILE, receipt(" ")))
                .isInstanceOf(ReceiptNotCorrelatedException.class)
                .hasMessageContaining("no SendersFileId")
                .hasMessageContaining(FILE)
                .hasMessageContaining(SENDER);
    }

    @Test
    void unknownTransferWithForeignFileNameIsNotCorrelated() {
        assertThatThrownBy(() -> matcher.match(
                        SENDER, "export.zip", receipt(UUID.randomUUID().toString())))
                .isInstanceOf(ReceiptNotCorrelatedException.class)
                .hasMessageContaining("export.zip is no SF1820 data file name");
    }

    /** Issue 11: a fagsystem with its own file-name-pattern; its names are read by that pattern, not the default. */
    @Test
    void unknownTransferOfAFagsystemWithItsOwnPatternIsReadByThatPattern() throws Exception {
        Fagsystem ky = FagsystemRegistry.standard().requireExtract("KY");
        Fagsystem custom = new Fagsystem(
                ky.code(),
                ky.name(),
                true,
                ky.sftpUser(),
                ky.recipients(),
                ky.recipientCode(),
                ky.contentType(),
                "{authority}-{sender}-{period-no-year}-{timestamp}.zip",
                null,
                null);
        ReceiptMatcher customMatcher = new ReceiptMatcher(transfers, new FagsystemRegistry(List.of(custom)));
        String transferId = UUID.randomUUID().toString();

        var bySender = customMatcher.match(ky.sftpUser(), "0101-KY-K1-20260302081530.zip", receipt(transferId));
        var byName = customMatcher.match("SOMEONE_ELSE", "0101-KY-K1-20260302081530.zip", receipt(transferId));

        assertThat(bySender.ref()).isEqualTo(new TransferRef(transferId, "KY", "0101", "K1"));
        assertThat(byName.ref()).isEqualTo(new TransferRef(transferId, "KY", "0101", "K1"));
    }

    /** Issue 10: the real platform pretty-prints, and SendersFileId is optional; the receipt still counts. */
    @Test
    void looseReceiptAsTheRealPlatformWritesItIsReadAndMatchedByFileName() throws Exception {
        TransferRef upload = new TransferRef(UUID.randomUUID().toString(), "KSD", "0561", "M03");
        transfers.add(upload, SENDER, FILE);
        String xml = """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <ns2:TechnicalReceipt xmlns:ns2="http://serviceplatformen.dk/xml/wsdl/soap11/SFTP/1/types">
                    <FileTransferUUID>
                        ca342b89-9c73-48e9-904a-1db31b32a60b
                    </FileTransferUUID>
                    <Receipt>
                        <Message> SUCCESS </Message>
                    </Receipt>
                </ns2:TechnicalReceipt>
                """;
        TechnicalReceiptType receipt = SftpXml.readTechnicalReceipt(
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                SENDER + ":/IN/" + FILE + ".sftpreceipt");

        var correlation = matcher.match(SENDER, FILE, receipt);
        ReceiptReceived event =
                ReceiptEvents.of(correlation, SENDER, FILE, "/IN/" + FILE + ".sftpreceipt", receipt, Clock.systemUTC());

        assertThat(correlation.correlatedBy()).isEqualTo(ReceiptMatcher.BY_FILE_NAME);
        assertThat(event.getTransferId()).isEqualTo(upload.transferId());
        assertThat(event.getSuccess()).isTrue();
        assertThat(event.getFileTransferUUID()).isEqualTo("ca342b89-9c73-48e9-904a-1db31b32a60b");
    }

    private static TechnicalReceiptType receipt(String sendersFileId) {
        TechnicalReceiptType receipt = new TechnicalReceiptType();
        receipt.setFileTransferUUID("platform-1");
        receipt.setSendersFileId(sendersFileId);
        return receipt;
    }

    /** What the correlation store would answer, kept in a list. */
    private static final class RecordedTransfers implements KnownTransfers {
        private final List<KnownTransfer> known = new ArrayList<>();

        void add(TransferRef ref, String sender, String fileName) {
            known.add(new KnownTransfer(ref, sender, fileName));
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public Optional<KnownTransfer> byTransferId(String transferId) {
            return known.stream()
                    .filter(k -> k.ref().transferId().equals(transferId))
                    .findFirst();
        }

        @Override
        public Optional<KnownTransfer> byFileName(String sender, String fileName) {
            return known.stream()
                    .filter(k -> k.sender().equals(sender) && k.fileName().equals(fileName))
                    .findFirst();
        }
    }
}

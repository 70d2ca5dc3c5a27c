package dk.sf1820.receipts.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.kafka.PipelineMetrics;
import dk.sf1820.schemas.avro.BusinessReceiptReceived;
import dk.sf1820.schemas.avro.CorrelationState;
import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.DeliveryTimedOut;
import dk.sf1820.schemas.avro.ReceiptError;
import dk.sf1820.schemas.avro.ReceiptReceived;
import dk.sf1820.schemas.avro.TransferFailed;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.events.EventDeserializer;
import dk.sf1820.schemas.events.EventSerializer;
import dk.sf1820.schemas.events.TransferRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceiptCorrelationTopologyTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(30);
    private static final Duration PUNCTUATE = Duration.ofMinutes(1);
    private static final Duration FORGET_AFTER = Duration.ofDays(35);
    private static final Instant START = Instant.parse("2026-03-02T08:00:00Z");
    private static final String FILE = "KSD_DST_0561_M03_20260302080000.zip";

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, SpecificRecordBase> uploads;
    private TestInputTopic<String, SpecificRecordBase> receipts;
    private TestOutputTopic<String, SpecificRecordBase> outcomes;
    private final String transferId = UUID.randomUUID().toString();
    private final TransferRef ref = new TransferRef(transferId, "KSD", "0561", "M03");

    @BeforeEach
    void startDriver() {
        Properties config = ReceiptCorrelationTopology.streamsConfig(
                Map.of(
                        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
                        "unused:9092",
                        StreamsConfig.STATE_DIR_CONFIG,
                        stateDir.toString()),
                "receipt-correlation-test");
        driver = new TopologyTestDriver(
                ReceiptCorrelationTopology.build(TIMEOUT, PUNCTUATE, FORGET_AFTER), config, START);
        uploads = driver.createInputTopic(
                ReceiptCorrelationTopology.UPLOADS.name(), new StringSerializer(), new EventSerializer());
        receipts = driver.createInputTopic(
                ReceiptCorrelationTopology.RECEIPTS.name(), new StringSerializer(), new EventSerializer());
        outcomes = driver.createOutputTopic(
                ReceiptCorrelationTopology.OUTCOMES.name(), new StringDeserializer(), new EventDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void successReceiptAfterUploadEndsAsDeliverySucceeded() {
        uploads.pipeInput(transferId, uploaded());
        assertThat(outcomes.isEmpty()).isTrue();

        receipts.pipeInput(transferId, successReceipt());

        List<SpecificRecordBase> emitted = outcomes.readValuesToList();
        assertThat(emitted).singleElement().isInstanceOfSatisfying(DeliverySucceeded.class, s -> {
            assertThat(TransferRef.of(s)).isEqualTo(ref);
            assertThat(s.getFileName()).isEqualTo(FILE);
            assertThat(s.getFileTransferUUID()).isEqualTo("platform-1");
        });
        assertThat(state().getOutcome()).isEqualTo("SUCCEEDED");
    }

    /** Issue 13: a business receipt travels on the receipt topic too, but only the technical one settles a transfer. */
    @Test
    void aBusinessReceiptNeitherSettlesATransferNorAddsASecondOutcome() {
        BusinessReceiptReceived business = ref.stamp(new BusinessReceiptReceived(), Clock.fixed(START, ZoneOffset.UTC));
        business.setSender("KSD_SFTPSIMPEL");
        business.setFileName(FILE);
        business.setReceiptPath("/IN/" + FILE + ".businessreceipt");
        business.setRecipient("DST-CEMOS-SFTPUsername");
        business.setFileAcceptance("REJECTED");
        business.setCorrelatedBy("FileName");
        uploads.pipeInput(transferId, uploaded());

        receipts.pipeInput(transferId, business);
        assertThat(outcomes.isEmpty()).as("before the technical receipt").isTrue();
        receipts.pipeInput(transferId, successReceipt());
        receipts.pipeInput(transferId, business);

        assertThat(outcomes.readValuesToList()).singleElement().isInstanceOf(DeliverySucceeded.class);
    }

    @Test
    void failureReceiptCarriesEveryError() {
        ReceiptError sizeMismatch = new ReceiptError(3, "SIZE_MISMATCH", "SizeInBytes 10 but file has 9 bytes");
        ReceiptError unknownRecipient = new ReceiptError(4, "UNKNOWN_RECIPIENT", "recipient DST-X is unknown");
        uploads.pipeInput(transferId, uploaded());

        receipts.pipeInput(transferId, receipt(false, List.of(sizeMismatch, unknownRecipient)));

        assertThat(outcomes.readValuesToList()).singleElement().isInstanceOfSatisfying(DeliveryFailed.class, f -> {
            assertThat(TransferRef.of(f)).isEqualTo(ref);
            assertThat(f.getFileName()).isEqualTo(FILE);
            assertThat(f.getFileTransferUUID()).isEqualTo("platform-1");
            assertThat(f.getErrors()).containsExactly(sizeMismatch, unknownRecipient);
        });
    }

    @Test
    void uploadWithoutReceiptTimesOutOnceAfterTheTimeout() {
        uploads.pipeInput(transferId, uploaded());

        driver.advanceWallClockTime(TIMEOUT.minus(PUNCTUATE));
        assertThat(outcomes.isEmpty()).as("no outcome before the timeout").isTrue();

        driver.advanceWallClockTime(PUNCTUATE);
        driver.advanceWallClockTime(TIMEOUT);

        assertThat(outcomes.readValuesToList()).singleElement().isInstanceOfSatisfying(DeliveryTimedOut.class, t -> {
            assertThat(TransferRef.of(t)).isEqualTo(ref);
            assertThat(t.getFileName()).isEqualTo(FILE);
            assertThat(t.getUploadedAt()).isEqualTo(START);
            assertThat(t.getWaitedMillis()).isEqualTo(TIMEOUT.toMillis());
        });
    }

    @Test
    void receiptBeforeUploadIsHeldUntilTheUploadArrives() {
        receipts.pipeInput(transferId, successReceipt());
        assertThat(outcomes.isEmpty()).as("outcome waits for the upload").isTrue();

        uploads.pipeInput(transferId, uploaded());

        assertThat(outcomes.readValuesToList()).singleElement().isInstanceOf(DeliverySucceeded.class);
        driver.advanceWallClockTime(TIMEOUT.multipliedBy(2));
        assertThat(outcomes.isEmpty()).as("a settled transfer never times out").isTrue();
    }

    @Test
    void outcomeCarriesTheUploadsFieldsOverTheReceiptsFallback() {
        TransferRef fallback = new TransferRef(transferId, "KSD", "0000", "Y");
        receipts.pipeInput(transferId, fallback.stamp(successReceipt(), clock()));

        uploads.pipeInput(transferId, uploaded());

        assertThat(outcomes.readValuesToList())
                .singleElement()
                .satisfies(o -> assertThat(TransferRef.of(o)).isEqualTo(ref));
    }

    @Test
    void receiptWhoseUploadNeverArrivesIsReportedAfterTheTimeout() {
        receipts.pipeInput(transferId, receipt(false, List.of(new ReceiptError(2, "DATA_FILE_MISSING", "no file"))));

        driver.advanceWallClockTime(TIMEOUT);

        assertThat(outcomes.readValuesToList())
                .singleElement()
                .isInstanceOfSatisfying(
                        DeliveryFailed.class,
                        f -> assertThat(f.getErrors())
                                .extracting(ReceiptError::getCode)
                                .containsExactly(2));
    }

    @Test
    void duplicateReceiptIsDropped() {
        uploads.pipeInput(transferId, uploaded());
        receipts.pipeInput(transferId, successReceipt());
        receipts.pipeInput(transferId, successReceipt());
        receipts.pipeInput(transferId, receipt(false, List.of(new ReceiptError(1, "BAD_XML", "x"))));

        assertThat(outcomes.readValuesToList()).singleElement().isInstanceOf(DeliverySucceeded.class);
    }

    @Test
    void duplicateReceiptBeforeUploadIsDropped() {
        receipts.pipeInput(transferId, successReceipt());
        receipts.pipeInput(transferId, successReceipt());
        uploads.pipeInput(transferId, uploaded());

        assertThat(outcomes.readValuesToList()).singleElement().isInstanceOf(DeliverySucceeded.class);
    }

    @Test
    void redeliveredUploadDoesNotRestartTheClock() {
        uploads.pipeInput(transferId, uploaded());
        driver.advanceWallClockTime(TIMEOUT.minus(PUNCTUATE));
        uploads.pipeInput(
                transferId,
                ref.stamp(uploaded(), Clock.fixed(START.plus(TIMEOUT).minus(PUNCTUATE), ZoneOffset.UTC)));

        driver.advanceWallClockTime(PUNCTUATE);

        assertThat(outcomes.readValuesToList()).singleElement().isInstanceOf(DeliveryTimedOut.class);
    }

    @Test
    void transferFailedEndsAsDeliveryFailedWithTheCause() {
        TransferFailed failed = ref.stamp(new TransferFailed(), clock());
        failed.setSender("KSD_SFTPSIMPEL");
        failed.setFileName(FILE);
        failed.setCause("Host key of 127.0.0.1:2222 is not trusted");
        failed.setAttempts(5);

        uploads.pipeInput(transferId, failed);
        receipts.pipeInput(transferId, successReceipt());
        driver.advanceWallClockTime(TIMEOUT.multipliedBy(2));

        assertThat(outcomes.readValuesToList()).singleElement().isInstanceOfSatisfying(DeliveryFailed.class, f -> {
            assertThat(TransferRef.of(f)).isEqualTo(ref);
            assertThat(f.getFileName()).isEqualTo(FILE);
            assertThat(f.getErrors()).singleElement().satisfies(e -> {
                assertThat(e.getCode()).isEqualTo(TrackerErrors.TRANSPORTER_GAVE_UP);
                assertThat(e.getDescription()).contains("5 attempt(s)", "Host key of 127.0.0.1:2222 is not trusted");
            });
        });
    }

    @Test
    void lateReceiptAfterTimeoutIsDropped() {
        uploads.pipeInput(transferId, uploaded());
        driver.advanceWallClockTime(TIMEOUT);

        receipts.pipeInput(transferId, successReceipt());

        assertThat(outcomes.readValuesToList()).singleElement().isInstanceOf(DeliveryTimedOut.class);
        assertThat(state().getOutcome()).isEqualTo("TIMED_OUT");
    }

    @Test
    void eachTransferGetsItsOwnOutcome() {
        String other = UUID.randomUUID().toString();
        TransferRef otherRef = new TransferRef(other, "DUBU", "0101", "K1");
        uploads.pipeInput(transferId, uploaded());
        uploads.pipeInput(other, otherRef.stamp(uploaded(), clock()));

        receipts.pipeInput(transferId, successReceipt());
        driver.advanceWallClockTime(TIMEOUT);

        var emitted = outcomes.readKeyValuesToMap();
        assertThat(emitted).containsOnlyKeys(transferId, other);
        assertThat(emitted.get(transferId)).isInstanceOf(DeliverySucceeded.class);
        assertThat(emitted.get(other)).isInstanceOf(DeliveryTimedOut.class);
    }

    @Test
    void settledTransferIsForgottenAfterTheRetention() {
        uploads.pipeInput(transferId, uploaded());
        receipts.pipeInput(transferId, successReceipt());
        outcomes.readValuesToList();

        driver.advanceWallClockTime(FORGET_AFTER);

        assertThat(state()).isNull();
    }

    /**
     * A task restored after a restart or moved from another instance finds settled transfers in its store
     * that it never settled itself: their fagsystem still shows 0 in flight, as it did before.
     */
    @Test
    void aRestoredTaskReportsTheFagsystemsOfItsSettledTransfersWithNoneInFlight() {
        uploads.pipeInput(transferId, uploaded());
        receipts.pipeInput(transferId, successReceipt());
        CorrelationState settled = state();
        assertThat(settled.getOutcome()).isEqualTo("SUCCEEDED");

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Properties config = ReceiptCorrelationTopology.streamsConfig(
                Map.of(
                        StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
                        "unused:9092",
                        StreamsConfig.STATE_DIR_CONFIG,
                        stateDir.resolve("restored").toString()),
                "receipt-correlation-restored");
        try (TopologyTestDriver restored = new TopologyTestDriver(
                ReceiptCorrelationTopology.build(TIMEOUT, PUNCTUATE, FORGET_AFTER, new PipelineMetrics(registry)),
                config,
                START)) {
            KeyValueStore<String, CorrelationState> store =
                    restored.getKeyValueStore(ReceiptCorrelationTopology.CORRELATION_STORE);
            store.put(transferId, settled);

            restored.advanceWallClockTime(PUNCTUATE);

            assertThat(registry.get(PipelineMetrics.IN_FLIGHT)
                            .tag("fagsystem", "KSD")
                            .gauge()
                            .value())
                    .isZero();
            assertThat(registry.get(PipelineMetrics.IN_FLIGHT_OLDEST_AGE)
                            .tag("fagsystem", "KSD")
                            .gauge()
                            .value())
                    .isZero();
        }
    }

    private CorrelationState state() {
        KeyValueStore<String, CorrelationState> store =
                driver.getKeyValueStore(ReceiptCorrelationTopology.CORRELATION_STORE);
        return store.get(transferId);
    }

    private TransferUploaded uploaded() {
        TransferUploaded uploaded = ref.stamp(new TransferUploaded(), clock());
        uploaded.setSender("KSD_SFTPSIMPEL");
        uploaded.setFileName(FILE);
        uploaded.setRemoteDataPath("/OUT/" + FILE);
        uploaded.setRemoteTriggerPath("/OUT/" + FILE + ".trigger");
        uploaded.setSizeBytes(1234L);
        uploaded.setDurationMillis(80L);
        uploaded.setServer("127.0.0.1:2222");
        return uploaded;
    }

    private ReceiptReceived successReceipt() {
        return receipt(true, List.of());
    }

    private ReceiptReceived receipt(boolean success, List<ReceiptError> errors) {
        ReceiptReceived receipt = ref.stamp(new ReceiptReceived(), clock());
        receipt.setSender("KSD_SFTPSIMPEL");
        receipt.setFileName(FILE);
        receipt.setReceiptPath("/IN/" + FILE + ".sftpreceipt");
        receipt.setFileTransferUUID("platform-1");
        receipt.setSuccess(success);
        receipt.setErrors(errors);
        receipt.setCorrelatedBy("SendersFileId");
        return receipt;
    }

    private Clock clock() {
        return Clock.fixed(START, ZoneOffset.UTC);
    }
}

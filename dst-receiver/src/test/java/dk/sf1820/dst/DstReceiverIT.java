package dk.sf1820.dst;

import static dk.sf1820.dst.Deliveries.DST;
import static dk.sf1820.dst.Deliveries.KSD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.xml.FileMetadataType;
import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import dk.sf1820.serviceplatform.ServiceplatformFixture;
import dk.sf1820.serviceplatform.scan.ScanReport;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpAccounts;
import dk.sf1820.sftp.SftpConnector;
import dk.sf1820.stage.StageSupportConfiguration;
import dk.sf1820.testsupport.Triggers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Danmarks Statistik's fetch (EP_DST1) against the Serviceplatform emulator: every delivery in IN
 * ends stored or kept aside with a reason, and IN is left empty.
 */
class DstReceiverIT {

    @TempDir
    static Path work;

    static ServiceplatformEmulator platform;
    static SftpAccount dstAccount;

    Path store;
    Path rejected;
    final List<FetchResult> reported = new CopyOnWriteArrayList<>();
    DstReceiver receiver;

    @BeforeAll
    static void startPlatform() {
        ServiceplatformFixture fixture = ServiceplatformFixture.start(work, KSD, DST);
        platform = fixture.emulator();
        dstAccount = new SftpAccount(
                DST, platform.host(), platform.port(), fixture.key(DST).privateKey(), null, fixture.knownHosts());
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    @BeforeEach
    void newReceiver(@TempDir Path local) {
        store = local.resolve("store");
        rejected = local.resolve("rejected");
        DstReceiverObserver listener = new DstReceiverObserver() {
            @Override
            public void received(ReceivedFile file) {
                reported.add(file);
            }

            @Override
            public void rejected(RejectedFile file) {
                reported.add(file);
            }
        };
        receiver = new DstReceiver(
                new SftpConnector(),
                dstAccount,
                properties(Duration.ZERO),
                Set.of(KSD),
                List.of(listener),
                Clock.systemUTC());
    }

    @AfterEach
    void inIsEmpty() throws Exception {
        try (Stream<Path> left = Files.list(dstIn())) {
            assertThat(left).as("files left in DST's IN").isEmpty();
        }
    }

    @Test
    void fetchesWhatThePlatformRoutedStoresItAndEmptiesIn() throws Exception {
        String fileName = Deliveries.fileName();
        byte[] zip = Deliveries.zip(500);
        String sendersFileId = sendThroughPlatform(fileName, zip);
        ScanReport report = platform.scanNow();
        String fileTransferUUID =
                report.trigger(fileName + ".trigger").orElseThrow().fileTransferUUID();

        List<FetchResult> results = receiver.pollOnce();

        assertThat(results).singleElement().isInstanceOfSatisfying(ReceivedFile.class, received -> {
            assertThat(received.fileName()).isEqualTo(fileName);
            assertThat(received.sender()).isEqualTo(KSD);
            assertThat(received.sendersFileId()).isEqualTo(sendersFileId);
            assertThat(received.fileTransferUUID()).isEqualTo(fileTransferUUID);
            assertThat(received.fileType()).isEqualTo("SF1820_KSD");
            assertThat(received.storedAt()).isEqualTo(store.resolve(KSD).resolve(fileName));
        });
        assertThat(store.resolve(KSD).resolve(fileName)).hasBinaryContent(zip);
        assertThat(store.resolve(KSD).resolve(fileName + ".part")).doesNotExist();
        assertThat(reported).isEqualTo(results);
    }

    @Test
    void acceptsMetadataWithTheTriggerRootSeenInTheField() throws Exception {
        String fileName = Deliveries.fileName();
        byte[] zip = Deliveries.zip(20);
        FileMetadataType metadata = Deliveries.metadata(fileName, zip.length, KSD, List.of(DST));
        deliver(fileName, zip, SftpXml.writeAsTrigger(metadata));

        List<FetchResult> results = receiver.pollOnce();

        assertThat(results)
                .singleElement()
                .isInstanceOfSatisfying(
                        ReceivedFile.class,
                        received -> assertThat(received.fileTransferUUID()).isEqualTo(metadata.getFileTransferUUID()));
        assertThat(store.resolve(KSD).resolve(fileName)).hasBinaryContent(zip);
    }

    /**
     * Issue 10: the real platform writes the field form loosely: values on lines of their own, no
     * FileContentDescriptor, and SendersFileId only when the sender gave one.
     */
    @Test
    void acceptsLooseFieldMetadataAsTheRealPlatformWritesIt() throws Exception {
        String fileName = Deliveries.fileName();
        byte[] zip = Deliveries.zip(20);
        String metadata = """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <ns2:Trigger xmlns:ns2="http://serviceplatformen.dk/xml/wsdl/soap11/SFTP/1/types">
                    <FileTransferUUID>
                        ca342b89-9c73-48e9-904a-1db31b32a60b
                    </FileTransferUUID>
                    <FileDescriptor>
                        <FileName>
                            %s
                        </FileName>
                        <SizeInBytes>%d</SizeInBytes>
                        <Sender> %s </Sender>
                        <Recipients>
                            %s
                        </Recipients>
                    </FileDescriptor>
                </ns2:Trigger>
                """.formatted(fileName, zip.length, KSD, DST);
        deliver(fileName, zip, metadata.getBytes(StandardCharsets.UTF_8));

        List<FetchResult> results = receiver.pollOnce();

        assertThat(results).singleElement().isInstanceOfSatisfying(ReceivedFile.class, received -> {
            assertThat(received.fileName()).isEqualTo(fileName);
            assertThat(received.sender()).isEqualTo(KSD);
            assertThat(received.fileTransferUUID()).isEqualTo("ca342b89-9c73-48e9-904a-1db31b32a60b");
            assertThat(received.sendersFileId()).isNull();
            assertThat(received.fileType()).isNull();
        });
        assertThat(store.resolve(KSD).resolve(fileName)).hasBinaryContent(zip);
    }

    @Test
    void fileOfAnotherSizeThanTheMetadataSaysIsKeptAsideWithTheReason() throws Exception {
        String fileName = Deliveries.fileName();
        byte[] zip = Deliveries.zip(20);
        deliver(fileName, zip, SftpXml.write(Deliveries.metadata(fileName, zip.length + 7L, KSD, List.of(DST))));

        RejectedFile rejection = onlyRejection(receiver.pollOnce());

        assertThat(rejection.reason())
                .contains("/IN/" + fileName)
                .contains(zip.length + " bytes")
                .contains("SizeInBytes=" + (zip.length + 7));
        assertKeptAside(rejection, fileName, zip);
        assertThat(store.resolve(KSD).resolve(fileName)).doesNotExist();
        assertThat(store.resolve(KSD).resolve(fileName + ".part")).doesNotExist();
    }

    @Test
    void corruptZipIsKeptAsideWithTheReason() throws Exception {
        String fileName = Deliveries.fileName();
        byte[] zip = Deliveries.zip(200);
        zip[zip.length / 3] ^= 0x5a; // inside the compressed entry; the central directory stays intact
        deliver(fileName, zip, SftpXml.write(Deliveries.metadata(fileName, zip.length, KSD, List.of(DST))));

        RejectedFile rejection = onlyRejection(receiver.pollOnce());

        assertThat(rejection.reason()).contains("/IN/" + fileName).containsIgnoringCase("zip");
        assertKeptAside(rejection, fileName, zip);
        assertThat(store.resolve(KSD).resolve(fileName)).doesNotExist();
    }

    @Test
    void fileFromAnUnexpectedSenderIsKeptAsideNotStored() throws Exception {
        String fileName = Deliveries.fileName();
        byte[] zip = Deliveries.zip(20);
        deliver(
                fileName,
                zip,
                SftpXml.write(Deliveries.metadata(fileName, zip.length, "EVIL_SFTPSIMPEL", List.of(DST))));

        RejectedFile rejection = onlyRejection(receiver.pollOnce());

        assertThat(rejection.reason())
                .contains("Sender 'EVIL_SFTPSIMPEL' is not an expected sender")
                .contains(KSD);
        assertThat(rejection.sender()).isEqualTo("EVIL_SFTPSIMPEL");
        assertKeptAside(rejection, fileName, zip);
        assertThat(store).doesNotExist();
    }

    @Test
    void fileNotAddressedToDstIsKeptAside() throws Exception {
        String fileName = Deliveries.fileName();
        byte[] zip = Deliveries.zip(20);
        deliver(fileName, zip, SftpXml.write(Deliveries.metadata(fileName, zip.length, KSD, List.of("OTHER-SFTP"))));

        RejectedFile rejection = onlyRejection(receiver.pollOnce());

        assertThat(rejection.reason()).contains("Recipients [OTHER-SFTP] does not name this recipient " + DST);
        assertKeptAside(rejection, fileName, zip);
    }

    @Test
    void unreadableMetadataIsKeptAsideWithTheParserMessage() throws Exception {
        String fileName = Deliveries.fileName();
        byte[] zip = Deliveries.zip(20);
        deliver(fileName, zip, "<FileMetadata>not the contract</FileMetadata>".getBytes(StandardCharsets.UTF_8));

        RejectedFile rejection = onlyRejection(receiver.pollOnce());

        assertThat(rejection.reason()).startsWith("metadata cannot be read: /IN/" + fileName + ".metadata");
        assertThat(rejection.sender()).isNull();
        assertKeptAside(rejection, fileName, zip);
    }

    @Test
    void oversizedMetadataIsKeptAsideUnparsed() throws Exception {
        String fileName = Deliveries.fileName();
        byte[] zip = Deliveries.zip(20);
        byte[] huge = new byte[(int) DstReceiver.MAX_METADATA_BYTES + 1];
        deliver(fileName, zip, huge);

        RejectedFile rejection = onlyRejection(receiver.pollOnce());

        assertThat(rejection.reason()).contains("/IN/" + fileName + ".metadata has " + huge.length + " bytes");
        assertKeptAside(rejection, fileName, zip);
        assertThat(rejected.resolve(fileName + ".metadata")).hasSize(huge.length);
    }

    @Test
    void metadataWhoseDataFileIsNotThereYetIsLeftForTheNextRound() throws Exception {
        String fileName = Deliveries.fileName();
        byte[] zip = Deliveries.zip(20);
        Files.write(
                dstIn().resolve(fileName + ".metadata"),
                SftpXml.write(Deliveries.metadata(fileName, zip.length, KSD, List.of(DST))));

        assertThat(receiver.pollOnce()).isEmpty();
        assertThat(dstIn().resolve(fileName + ".metadata")).exists();

        Files.write(dstIn().resolve(fileName), zip);
        assertThat(receiver.pollOnce()).singleElement().isInstanceOf(ReceivedFile.class);
        assertThat(store.resolve(KSD).resolve(fileName)).hasBinaryContent(zip);
    }

    @Test
    void aFetchInterruptedBeforeInWasCleanedIsFinishedWithoutASecondCopy() throws Exception {
        String fileName = Deliveries.fileName();
        byte[] zip = Deliveries.zip(20);
        byte[] metadata = SftpXml.write(Deliveries.metadata(fileName, zip.length, KSD, List.of(DST)));
        deliver(fileName, zip, metadata);
        receiver.pollOnce();
        // as if the last round stopped after storing, before deleting from IN
        deliver(fileName, zip, metadata);

        assertThat(receiver.pollOnce()).singleElement().isInstanceOf(ReceivedFile.class);

        try (Stream<Path> stored = Files.list(store.resolve(KSD))) {
            assertThat(stored).containsExactly(store.resolve(KSD).resolve(fileName));
        }
        assertThat(rejected).doesNotExist();
    }

    @Test
    void configurationPollsOnScheduleAndAcceptsEveryRegistrySenderByDefault() throws Exception {
        String fileName = Deliveries.fileName();
        byte[] zip = Deliveries.zip(20);
        deliver(fileName, zip, SftpXml.write(Deliveries.metadata(fileName, zip.length, KSD, List.of(DST))));

        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(StageSupportConfiguration.class))
                .withUserConfiguration(AppProvided.class, DstReceiverConfiguration.class)
                .withPropertyValues(
                        "sf1820.dst-receiver.store-dir=" + store,
                        "sf1820.dst-receiver.rejected-dir=" + rejected,
                        "sf1820.dst-receiver.poll-interval=100ms")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> Files.exists(store.resolve(KSD).resolve(fileName)));
                    assertThat(store.resolve(KSD).resolve(fileName)).hasBinaryContent(zip);
                    await().atMost(Duration.ofSeconds(60)).until(() -> isEmpty(dstIn()));
                });
    }

    @Test
    void configurationRefusesToStartWithoutAStoreDir() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(StageSupportConfiguration.class))
                .withUserConfiguration(AppProvided.class, DstReceiverConfiguration.class)
                .withPropertyValues("sf1820.dst-receiver.rejected-dir=" + work.resolve("r"))
                .run(context ->
                        assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("storeDir"));
    }

    /** What the app would provide besides stage-support's registry and clock. */
    @Configuration(proxyBeanMethods = false)
    static class AppProvided {

        @Bean
        SftpAccounts sftpAccounts() {
            return new SftpAccounts(List.of(dstAccount));
        }

        @Bean
        SftpConnector sftpConnector() {
            return new SftpConnector();
        }
    }

    private DstReceiverProperties properties(Duration pollInterval) {
        return new DstReceiverProperties(DST, "/IN", store, rejected, pollInterval, List.of());
    }

    /** A sender's data file and trigger put straight into its OUT, as after a complete upload. */
    private static String sendThroughPlatform(String fileName, byte[] zip) throws Exception {
        Path out = platform.home(KSD).resolve("OUT");
        Files.write(out.resolve(fileName), zip);
        String sendersFileId = UUID.randomUUID().toString();
        Files.write(
                out.resolve(fileName + ".trigger"),
                Triggers.xml(Triggers.trigger(fileName, zip.length, KSD, sendersFileId, List.of(DST))));
        return sendersFileId;
    }

    private static void deliver(String fileName, byte[] data, byte[] metadata) throws Exception {
        Files.write(dstIn().resolve(fileName), data);
        Files.write(dstIn().resolve(fileName + ".metadata"), metadata);
    }

    private static Path dstIn() {
        return platform.home(DST).resolve("IN");
    }

    private static boolean isEmpty(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        }
    }

    private RejectedFile onlyRejection(List<FetchResult> results) {
        assertThat(results).singleElement().isInstanceOf(RejectedFile.class);
        assertThat(reported).isEqualTo(results);
        return (RejectedFile) results.get(0);
    }

    private void assertKeptAside(RejectedFile rejection, String fileName, byte[] original) throws Exception {
        assertThat(rejection.keptAt()).isEqualTo(rejected.resolve(fileName));
        assertThat(rejection.keptAt()).hasBinaryContent(original);
        assertThat(rejected.resolve(fileName + ".reason.txt"))
                .content(StandardCharsets.UTF_8)
                .contains("file=" + fileName)
                .contains("reason=" + rejection.reason());
        assertThat(rejected.resolve(fileName + ".metadata")).exists();
        assertThat(rejected.resolve(fileName + ".part")).doesNotExist();
    }
}

package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.dst.ReceivedFile;
import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.testsupport.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10, "Two extracts of one period in the same second": three KSD/0561/M03 extracts announced
 * in one second shared a data file name, and the transporter took the first one's trigger as proof it
 * had sent the others. Every extract of such a burst must reach DST under its own name.
 */
class SameSecondBurstIT {

    @RegisterExtension
    static final TestPipeline pipeline = TestPipeline.onOwnBroker();

    @Test
    void extractsOfOnePeriodAnnouncedInTheSameSecondAreAllDeliveredUnderTheirOwnNames() throws Exception {
        // Given four KSD/0561/M03 extracts staged and announced with the same occurredAt
        Instant sameSecond = Instant.parse("2026-03-02T07:15:30.250Z");
        List<ExtractReady> burst = new ArrayList<>();
        Map<String, byte[]> contents = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            String content = "sagsnummer;beloeb\nKSD-" + i + ";12,50\n";
            ExtractReady extract = staged(content, "ksd-" + i + ".csv", sameSecond);
            burst.add(extract);
            contents.put(extract.getTransferId(), content.getBytes(StandardCharsets.UTF_8));
        }

        // When they are published together
        EventPublisher publisher = pipeline.app().getBean(EventPublisher.class);
        burst.forEach(extract -> publisher.publish(Topics.EXTRACT_READY, extract));

        // Then DST receives each one, under distinct names, and each transfer succeeds once
        List<String> ids = burst.stream().map(ExtractReady::getTransferId).toList();
        await().atMost(Duration.ofSeconds(120)).until(() -> pipeline.dst().containsAll(ids));
        assertThat(ids)
                .extracting(id -> pipeline.dst().get(id).fileName())
                .doesNotHaveDuplicates()
                .allMatch(name -> name.matches("KSD_DST_0561_M03_202603020815(30|31|32|33)\\.zip"));
        for (ExtractReady extract : burst) {
            ReceivedFile atDst = pipeline.dst().get(extract.getTransferId());
            try (var zip = new java.util.zip.ZipFile(atDst.storedAt().toFile())) {
                assertThat(zip.getInputStream(zip.getEntry(extract.getOriginalFileName()))
                                .readAllBytes())
                        .isEqualTo(contents.get(extract.getTransferId())); // the staged copy is deleted once packaged
            }
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<String, List<Object>> outcomes = new ConcurrentHashMap<>();
            TopicReader.readAll(pipeline.brokers(), Topics.DELIVERY_OUTCOME.name())
                    .forEach(r -> outcomes.computeIfAbsent(r.key(), k -> new ArrayList<>())
                            .add(r.value()));
            for (String id : ids) {
                assertThat(outcomes.get(id))
                        .as("outcomes of %s", id)
                        .singleElement()
                        .isInstanceOf(DeliverySucceeded.class);
            }
        });
    }

    /** Stages an extract where the extractor would and describes it, as the extractor would. */
    private static ExtractReady staged(String content, String name, Instant occurredAt) throws Exception {
        String transferId = UUID.randomUUID().toString();
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Path file = Files.createDirectories(
                        pipeline.work().resolve("staging").resolve("extracts").resolve(transferId))
                .resolve(name);
        Files.write(file, bytes);
        ExtractReady event = new TransferRef(transferId, "KSD", "0561", "M03")
                .stamp(new ExtractReady(), Clock.fixed(occurredAt, ZoneOffset.UTC));
        event.setStagedFile(file.toUri().toString());
        event.setOriginalFileName(name);
        event.setSizeBytes(bytes.length);
        event.setSha256(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        event.setSource("submit");
        return event;
    }
}

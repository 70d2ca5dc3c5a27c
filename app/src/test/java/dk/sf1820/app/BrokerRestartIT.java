package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.app.embedded.EmbeddedKafkaBroker;
import dk.sf1820.extractor.ExtractRequest;
import dk.sf1820.extractor.ExtractSubmitter;
import dk.sf1820.receipts.correlation.CorrelationStreams;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.testsupport.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 4: the Kafka broker restarts while transfers are in flight. The stages reconnect, and every
 * extract still reaches DST exactly once with exactly one outcome: nothing lost, nothing twice.
 */
class BrokerRestartIT {

    @TempDir
    Path work;

    @Test
    void aBrokerRestartMidRunLosesAndDuplicatesNothing() throws Exception {
        Path brokerDir = work.resolve("kafka");
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(brokerDir, 0).start(Duration.ofSeconds(60));
        String servers = broker.bootstrapServers();
        List<String> transferIds = new ArrayList<>();
        try (ConfigurableApplicationContext app = TestPipeline.onBroker(work, servers)) {
            ReceivedAtDst dstReceived = app.getBean(ReceivedAtDst.class);
            // Given a running pipeline: the receipt correlation has created its internal topics (a broker fenced
            // during that first start ends the process with 70 for its supervisor, which would end this test's JVM)
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> app.getBean(CorrelationStreams.class)
                            .state()
                            .filter(KafkaStreams.State.RUNNING::equals)
                            .isPresent());
            // and extracts in flight
            ExtractSubmitter submitter = app.getBean(ExtractSubmitter.class);
            for (Fagsystem fagsystem : app.getBean(FagsystemRegistry.class).withExtract()) {
                Path extract = Files.writeString(
                        work.resolve(fagsystem.code() + ".csv"),
                        "sagsnummer;beloeb\n" + fagsystem.code() + "-restart;1,00\n");
                transferIds.add(submitter.submit(new ExtractRequest(fagsystem.code(), "0561", "M03", extract)));
            }

            // When the broker goes away and comes back on the same data and port
            broker.close();
            broker = new EmbeddedKafkaBroker(brokerDir, 0).start(Duration.ofSeconds(60));
            assertThat(broker.bootstrapServers()).isEqualTo(servers);

            // Then every extract reaches DST, and ends in one DeliverySucceeded
            await().atMost(Duration.ofSeconds(120)).until(() -> dstReceived.containsAll(transferIds));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> outcomes(servers).keySet().containsAll(transferIds));
            Map<String, List<SpecificRecordBase>> outcomes = outcomes(servers);
            for (String transferId : transferIds) {
                assertThat(outcomes.get(transferId))
                        .as("outcomes of %s", transferId)
                        .hasSize(1)
                        .first()
                        .isInstanceOf(DeliverySucceeded.class);
                assertThat(dstReceived.all(transferId))
                        .as("files at DST for %s", transferId)
                        .hasSize(1);
            }
        } finally {
            broker.close();
        }
    }

    private static Map<String, List<SpecificRecordBase>> outcomes(String servers) {
        Map<String, List<SpecificRecordBase>> byTransfer = new ConcurrentHashMap<>();
        for (ConsumerRecord<String, SpecificRecordBase> r :
                TopicReader.readAll(servers, Topics.DELIVERY_OUTCOME.name())) {
            byTransfer.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
        }
        return byTransfer;
    }
}

package dk.sf1820.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.HousekeepingPerformed;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Issue 10: an {@link Error} from one record stopped a listener container for good while the process
 * stayed up. Now the stage says it cannot go on and the process exits with {@link StageHalt#EXIT_CODE}.
 */
@EmbeddedKafka
class StageHaltIT {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ErrorProneStage {

        final List<Integer> exits = new CopyOnWriteArrayList<>();

        @KafkaListener(topics = "sf1820.housekeeping", groupId = "error-prone-stage")
        void onHousekeeping(HousekeepingPerformed event) {
            throw new OutOfMemoryError("simulated: the heap is gone");
        }

        @KafkaListener(topics = "sf1820.extract.ready", groupId = "innocent-stage")
        void onExtract(org.apache.avro.specific.SpecificRecordBase event) {}

        @Bean
        ProcessExit processExit() {
            return exits::add;
        }
    }

    @Test
    void anErrorFromOneRecordEndsTheProcessWithTheStagesExitCode(EmbeddedKafkaBroker broker) throws Exception {
        // the stage runs as the app runs it, in a context of its own that the halt may close
        String brokers = broker.getBrokersAsString();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ErrorProneStage.class)
                .web(WebApplicationType.NONE)
                .properties("spring.kafka.bootstrap-servers=" + brokers, "sf1820.kafka.partitions=1")
                .run();
        ErrorProneStage stage = context.getBean(ErrorProneStage.class);
        StageHalt halt = context.getBean(StageHalt.class);
        HousekeepingPerformed event = new dk.sf1820.schemas.events.TransferRef("t-1", "KSD", "0561", "M03")
                .stamp(new HousekeepingPerformed(), java.time.Clock.systemUTC());
        event.setAction("ORPHAN_DELETED");
        event.setSender("ksd");
        event.setPath("/OUT/x.zip");
        event.setDetail("test");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            Topics.HOUSEKEEPING.name(),
                            "t-1",
                            new dk.sf1820.schemas.events.EventSerializer()
                                    .serialize(Topics.HOUSEKEEPING.name(), event)))
                    .get();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> !stage.exits.isEmpty());
        assertThat(stage.exits).containsExactly(StageHalt.EXIT_CODE);
        assertThat(halt.failure())
                .hasValueSatisfying(f -> assertThat(f).contains("cannot go on").contains("reason=ERROR"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !context.isActive());
    }
}

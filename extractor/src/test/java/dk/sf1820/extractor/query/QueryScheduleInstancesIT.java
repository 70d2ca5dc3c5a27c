package dk.sf1820.extractor.query;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.extractor.ExtractorConfiguration;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.testsupport.MutableClock;
import dk.sf1820.testsupport.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Two extractor instances run the same dataset schedule on one broker, one database and one shared
 * staging area. Both find the run due, the rows change between their queries, and still exactly one
 * ExtractReady announces the period; a deliberate resend delivers it again.
 */
@EmbeddedKafka(partitions = 1)
class QueryScheduleInstancesIT {

    static final String H2_URL = "jdbc:h2:mem:query-schedule-instances;DB_CLOSE_DELAY=-1";
    static final String DATASET = "ksd-sygedage";
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-20T12:00:00Z"));

    @TempDir
    Path staging;

    @Test
    void aPeriodIsAnnouncedOnceThoughBothInstancesRunItOnDifferentRows(EmbeddedKafkaBroker broker) throws Exception {
        sql(
                "create table sygedage (cpr varchar(10), dage int, fra date)",
                "insert into sygedage values ('0101010101', 12, date '2026-03-02')");
        try (ConfigurableApplicationContext a = instance(broker);
                ConfigurableApplicationContext b = instance(broker)) {
            QuerySchedule first = a.getBean(QuerySchedule.class);
            QuerySchedule second = b.getBean(QuerySchedule.class);
            first.check(); // the schedule starts: the next run is 06:00 on 1 April, for March
            Path state = staging.resolve("schedules").resolve(DATASET + ".last");
            String before = Files.readString(state);

            CLOCK.advance(Duration.ofDays(12)); // 1 April, 12:00
            first.check();
            // The second instance looked at the schedule before the first recorded its run: both found it due.
            Files.writeString(state, before);
            sql("insert into sygedage values ('0202020202', 3, date '2026-03-30')");
            second.check();

            List<ExtractReady> announced = extractReady(broker);
            assertThat(announced).singleElement().satisfies(e -> {
                assertThat(e.getPeriod()).isEqualTo("2026M03");
                assertThat(e.getRowCount()).isEqualTo(1L);
            });

            // Delivering the period again, with today's rows, is a resend.
            String resent = b.getBean(QueryExtractor.class).run(DATASET, "2026M03", true);
            assertThat(extractReady(broker)).hasSize(2).last().satisfies(e -> {
                assertThat(e.getTransferId()).isEqualTo(resent);
                assertThat(e.getRowCount()).isEqualTo(2L);
            });
        }
    }

    private static List<ExtractReady> extractReady(EmbeddedKafkaBroker broker) {
        List<SpecificRecordBase> events =
                TopicReader.readAll(broker.getBrokersAsString(), Topics.EXTRACT_READY.name()).stream()
                        .map(r -> r.value())
                        .toList();
        return events.stream()
                .filter(ExtractReady.class::isInstance)
                .map(ExtractReady.class::cast)
                .toList();
    }

    private ConfigurableApplicationContext instance(EmbeddedKafkaBroker broker) {
        String dataset = "--sf1820.extractor.datasets." + DATASET + ".";
        return new SpringApplicationBuilder(Instance.class)
                .web(WebApplicationType.NONE)
                .run(
                        "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "--sf1820.kafka.partitions=1",
                        "--sf1820.extractor.staging-dir=" + staging,
                        "--sf1820.extractor.schedule-check-interval=0s", // the test checks the schedules itself
                        "--sf1820.extractor.announcer.interval=0s",
                        dataset + "fagsystem=KSD",
                        dataset + "authority=0561",
                        dataset
                                + "sql=select cpr, dage, fra from sygedage where fra >= :period_start and fra < :period_end",
                        dataset + "cron=0 0 6 1 * *",
                        dataset + "jdbc.url=" + H2_URL,
                        dataset + "jdbc.username=sa");
    }

    private static void sql(String... statements) throws Exception {
        try (Connection db = DriverManager.getConnection(H2_URL, "sa", "");
                Statement sql = db.createStatement()) {
            for (String statement : statements) {
                sql.execute(statement);
            }
        }
    }

    /** One extractor instance as the app runs the stage. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(ExtractorConfiguration.class)
    static class Instance {

        @Bean
        Clock clock() {
            return CLOCK;
        }
    }
}

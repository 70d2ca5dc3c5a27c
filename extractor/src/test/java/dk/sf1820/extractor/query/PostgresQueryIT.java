package dk.sf1820.extractor.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dk.sf1820.extractor.ExtractorConfiguration;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.testsupport.MutableClock;
import dk.sf1820.testsupport.TopicReader;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A dataset query against a real PostgreSQL (issue 7): rows streamed through a server-side cursor
 * into the staged file, transcoded to the dataset's encoding with æøå intact, counted in the
 * ExtractReady; and the monthly schedule firing when the injected clock reaches it.
 */
@SpringBootTest(
        classes = PostgresQueryIT.Stage.class,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "sf1820.kafka.partitions=1",
            // the test drives the schedule itself
            "sf1820.extractor.schedule-check-interval=0s"
        })
@EmbeddedKafka
// The context's pollers write into the static @TempDir folders: close it before JUnit deletes them.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class PostgresQueryIT {

    static final Path SERVER = Path.of("/srv/sf1820-postgres/postgres-test.properties");
    static final int ROWS = 2_500;
    static final String TABLE = "ydelser_it";

    @TempDir
    static Path staging;

    static final MutableClock clock = new MutableClock(Instant.parse("2026-03-31T10:00:00Z"));

    @BeforeAll
    static void requirePostgres() throws Exception {
        String absent = "PostgresQueryIT skipped: PostgreSQL test server absent (" + SERVER
                + " not found); run .ci/setup-postgres.sh as root to install and start it on 127.0.0.1:55432";
        if (!Files.isReadable(SERVER)) {
            // failsafe reports a class skipped in @BeforeAll as zero tests, without the reason
            System.err.println(absent);
        }
        assumeTrue(Files.isReadable(SERVER), absent);
        Properties server = server();
        try (Connection db = DriverManager.getConnection(
                        server.getProperty("url"), server.getProperty("username"), server.getProperty("password"));
                Statement sql = db.createStatement()) {
            sql.execute("drop table if exists " + TABLE);
            sql.execute("create table " + TABLE + " (id int primary key, modtager text, beloeb numeric(10,2),"
                    + " udbetalt date)");
            // ROWS rows in March 2026 with Danish letters, one in April that the period leaves out
            sql.execute("insert into " + TABLE + " select n, 'Ærø Østergård Åse nr. ' || n, n * 1.25,"
                    + " date '2026-03-01' + (n % 31) from generate_series(1, " + ROWS + ") n");
            sql.execute("insert into " + TABLE + " values (" + (ROWS + 1) + ", 'april', 1, date '2026-04-01')");
        }
    }

    @DynamicPropertySource
    static void dataset(DynamicPropertyRegistry registry) throws IOException {
        registry.add("sf1820.extractor.staging-dir", staging::toString);
        String dataset = "sf1820.extractor.datasets.ky-ydelser.";
        registry.add(dataset + "fagsystem", () -> "KY");
        registry.add(dataset + "authority", () -> "0561");
        registry.add(
                dataset + "sql",
                () -> "select id, modtager, beloeb, udbetalt from " + TABLE
                        + " where udbetalt >= :period_start and udbetalt < :period_end order by id");
        registry.add(dataset + "encoding", () -> "ISO-8859-1");
        registry.add(dataset + "fetch-size", () -> "100");
        registry.add(dataset + "cron", () -> "0 0 6 1 * *");
        if (Files.isReadable(SERVER)) {
            Properties server = server();
            registry.add(dataset + "jdbc.url", () -> server.getProperty("url"));
            registry.add(dataset + "jdbc.username", () -> server.getProperty("username"));
            registry.add(dataset + "jdbc.password", () -> server.getProperty("password"));
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(ExtractorConfiguration.class)
    static class Stage {
        @Bean
        MutableClock clock() {
            return clock;
        }
    }

    @Autowired
    QuerySchedule schedule;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Test
    void theMonthlyScheduleExtractsLastMonthsRowsWithTheirDanishLettersIntact() throws Exception {
        // Given the schedule has started before the 1st
        schedule.check();
        assertThat(extractReady()).as("nothing due yet").isEmpty();

        // When the clock passes 06:00 Copenhagen time on 1 April
        clock.advance(Duration.ofHours(17).plusMinutes(59));
        schedule.check();
        assertThat(extractReady()).as("05:59 in Copenhagen").isEmpty();
        clock.advance(Duration.ofMinutes(2));
        schedule.check();

        // Then March's rows are staged, in ISO-8859-1, and counted
        List<ConsumerRecord<String, SpecificRecordBase>> records = extractReady();
        assertThat(records).hasSize(1);
        ExtractReady event = (ExtractReady) records.get(0).value();
        assertThat(event.getPeriod()).isEqualTo("2026M03");
        assertThat(event.getSource()).isEqualTo("query");
        assertThat(event.getDataset()).isEqualTo("ky-ydelser");
        assertThat(event.getRowCount()).isEqualTo(ROWS);
        Path staged = Path.of(URI.create(event.getStagedFile()));
        List<String> lines = Files.readAllLines(staged, StandardCharsets.ISO_8859_1);
        assertThat(lines).hasSize(ROWS + 1);
        assertThat(lines.get(0)).isEqualTo("id;modtager;beloeb;udbetalt");
        assertThat(lines.get(1)).isEqualTo("1;Ærø Østergård Åse nr. 1;1,25;2026-03-02");
        assertThat(lines).noneMatch(line -> line.contains("april"));
        byte[] bytes = Files.readAllBytes(staged);
        assertThat(bytes).as("æøå as single ISO-8859-1 bytes").contains((byte) 0xC6, (byte) 0xF8, (byte) 0xC5);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).as("not UTF-8").contains("\uFFFD");

        // And a second check the same day runs nothing again
        schedule.check();
        assertThat(extractReady()).hasSize(1);
    }

    private List<ConsumerRecord<String, SpecificRecordBase>> extractReady() {
        return TopicReader.readAll(brokers, Topics.EXTRACT_READY.name());
    }

    private static Properties server() throws IOException {
        Properties server = new Properties();
        try (Reader in = Files.newBufferedReader(SERVER)) {
            server.load(in);
        }
        return server;
    }
}

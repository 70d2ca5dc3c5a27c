package dk.sf1820.app.console;

import dk.sf1820.app.Sf1820Application;
import dk.sf1820.app.audit.AuditTrail;
import dk.sf1820.app.audit.TransferProjection;
import dk.sf1820.schemas.Topic;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.ReceiptReceived;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.events.Events;
import dk.sf1820.schemas.events.tools.FixtureValues;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The projection's figures for docs/benchmarks.md (issue 14): N transfers (default 10,000; five events each,
 * a tenth failed) on a real broker, then {@code GET /transfers} answered by {@code ./sf1820 run}'s live
 * projection (p50, p95 of repeated requests), the console page rendered in headless Chromium, and, for
 * comparison, one replay of every topic as {@code status} did per request before. A tool, not a test:
 * <pre>./mvnw -B -q -o -pl app -am test -Dtest=ProjectionBench -Dsurefire.failIfNoSpecifiedTests=false -Dprojection.bench.transfers=10000</pre>
 */
@EnabledIfSystemProperty(named = "projection.bench.transfers", matches = "\\d+")
class ProjectionBench {

    @TempDir
    Path work;

    @Test
    void measure() throws Exception {
        int transfers = Integer.getInteger("projection.bench.transfers");
        EmbeddedKafkaBroker kafka = new EmbeddedKafkaKraftBroker(
                1, 6, Topics.ALL.stream().map(Topic::name).toArray(String[]::new));
        kafka.afterPropertiesSet();
        try {
            long produced = produce(kafka.getBrokersAsString(), transfers);
            report("produced %d transfers (%d events) in %d ms", transfers, transfers * 5, produced);

            long replayStart = System.nanoTime();
            int replayed = new AuditTrail(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()))
                    .replay()
                    .statuses(ref -> true, java.time.Clock.systemUTC())
                    .size();
            report("one replay of every topic (status before): %d ms for %d transfers", millis(replayStart), replayed);

            long start = System.nanoTime();
            try (ConfigurableApplicationContext app = Sf1820Application.start(
                    true,
                    List.of(
                            "--sf1820.work-dir=" + work,
                            "--sf1820.embedded.kafka=false",
                            "--sf1820.embedded.serviceplatform=false",
                            "--sf1820.stages=",
                            "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                            "--server.port=0"),
                    Map.of())) {
                app.getBean(TransferProjection.class).current(Duration.ofMinutes(5));
                report("run started and projection caught up: %d ms", millis(start));
                String base = "http://127.0.0.1:" + app.getEnvironment().getRequiredProperty("local.server.port");
                requests(base + "/transfers", 50, "GET /transfers (all %d)".formatted(transfers));
                requests(base + "/transfers?limit=500", 50, "GET /transfers?limit=500 (the console's first page)");
                requests(
                        base + "/transfers?fagsystem=KSD&state=FAILED",
                        50,
                        "GET /transfers?fagsystem=KSD&state=FAILED");
                page(base + "/");
            }
        } finally {
            kafka.destroy();
        }
    }

    private static long produce(String bootstrap, int transfers) throws Exception {
        long start = System.nanoTime();
        String[] fagsystems = {"KSD", "DUBU", "KY", "FBS", "KP"};
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 20),
                new StringSerializer(),
                new ByteArraySerializer())) {
            Instant at = Instant.now().minus(Duration.ofDays(3));
            for (int i = 0; i < transfers; i++) {
                String id = UUID.randomUUID().toString();
                String fagsystem = fagsystems[i % fagsystems.length];
                String fileName = fagsystem + "_DST_0561_M03_" + (20260101000000L + i) + ".zip";
                at = at.plusMillis(20);
                for (Class<? extends SpecificRecordBase> type : List.of(
                        ExtractReady.class,
                        PackageReady.class,
                        TransferUploaded.class,
                        ReceiptReceived.class,
                        i % 10 == 0 ? DeliveryFailed.class : DeliverySucceeded.class)) {
                    Topic topic = Topics.ALL.stream()
                            .filter(t -> t.carries(type))
                            .findFirst()
                            .orElseThrow();
                    producer.send(new ProducerRecord<>(topic.name(), id, event(type, id, fagsystem, fileName, at)));
                }
            }
            producer.flush();
        }
        return millis(start);
    }

    /** An event filled as the schemas' fixtures are, made this transfer's, single-object encoded. */
    private static byte[] event(
            Class<? extends SpecificRecordBase> type, String id, String fagsystem, String fileName, Instant at)
            throws java.io.IOException {
        Schema schema = Events.schemaOf(type);
        GenericRecord event = FixtureValues.record(schema);
        event.put("eventId", UUID.randomUUID().toString());
        event.put("transferId", id);
        event.put("fagsystem", fagsystem);
        event.put("occurredAt", at.toEpochMilli());
        if (schema.getField("fileName") != null) {
            event.put("fileName", fileName);
        }
        ByteBuffer bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(event);
        return Arrays.copyOfRange(
                bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.arrayOffset() + bytes.limit());
    }

    private static void requests(String url, int count, String what) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<Long> micros = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < count + 5; i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> response =
                    http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + ": " + response.statusCode());
            }
            if (i >= 5) { // the first few warm the JIT
                micros.add((System.nanoTime() - start) / 1000);
                bytes = response.body().length;
            }
        }
        Collections.sort(micros);
        report(
                "%s: p50 %.1f ms, p95 %.1f ms, max %.1f ms over %d requests (%d KiB each)",
                what,
                micros.get(count / 2) / 1000.0,
                micros.get(count * 95 / 100) / 1000.0,
                micros.get(count - 1) / 1000.0,
                count,
                bytes / 1024);
    }

    private static void page(String url) {
        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(new File("/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900");
        ChromeDriver browser = new ChromeDriver(
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                        .usingAnyFreePort()
                        .build(),
                options);
        try {
            List<Long> rendered = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                browser.get(url + "?run=" + i);
                String ms = new WebDriverWait(browser, Duration.ofSeconds(60))
                        .until(d -> d.findElement(By.tagName("body")).getDomAttribute("data-rendered-ms"));
                if (i > 0) {
                    rendered.add(Long.parseLong(ms));
                }
            }
            Collections.sort(rendered);
            report(
                    "page / rendered (navigation start to every row in the table): median %d ms, runs %s",
                    rendered.get(rendered.size() / 2), rendered);
        } finally {
            browser.quit();
        }
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void report(String format, Object... args) {
        System.out.println("BENCH " + format.formatted(args));
    }
}

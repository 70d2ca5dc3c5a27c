package dk.sf1820.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dk.sf1820.app.Sf1820Application;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeadLetterReplayed;
import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.events.EventSerializer;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.testsupport.SampleEvents;
import dk.sf1820.testsupport.TopicReader;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The HTTP interface's security (issue 14): bound beyond loopback it refuses to start without users; with
 * users every request but the health probe needs HTTP basic against the hashed passwords, and the actions need
 * the operator role (and the browser's CSRF token), which a viewer lacks.
 */
class ConsoleSecurityIT {

    static final EmbeddedKafkaBroker kafka = new EmbeddedKafkaKraftBroker(1, 1);
    static final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4); // cheap rounds: a test, not a secret

    @TempDir
    static Path work;

    static ConfigurableApplicationContext app;
    static String baseUrl;

    @BeforeAll
    static void start() {
        kafka.afterPropertiesSet();
        List<String> args = new ArrayList<>(base());
        args.addAll(List.of(
                "--server.address=0.0.0.0",
                "--sf1820.console.users.vera.password={bcrypt}" + bcrypt.encode("vera-secret"),
                "--sf1820.console.users.olaf.password={bcrypt}" + bcrypt.encode("olaf-secret"),
                "--sf1820.console.users.olaf.role=operator"));
        app = Sf1820Application.start(true, args, Map.of());
        baseUrl = "http://127.0.0.1:" + app.getEnvironment().getRequiredProperty("local.server.port");
    }

    static List<String> base() {
        return List.of(
                "--sf1820.work-dir=" + work,
                "--sf1820.embedded.kafka=false",
                "--sf1820.embedded.serviceplatform=false",
                "--sf1820.stages=",
                "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
                "--server.port=0");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        kafka.destroy();
    }

    @Test
    void boundBeyondLoopbackWithoutUsersItRefusesToStart() {
        List<String> args = new ArrayList<>(base());
        args.add("--server.address=0.0.0.0");

        assertThatThrownBy(() -> Sf1820Application.start(true, args, Map.of()).close())
                .hasStackTraceContaining("server.address is 0.0.0.0, beyond loopback: configure users");
    }

    @Test
    void aPasswordThatIsNoHashIsRefusedWithoutBeingEchoed() {
        List<String> args = new ArrayList<>(base());
        args.add("--sf1820.console.users.ida.password=plain-secret");

        assertThatThrownBy(() -> Sf1820Application.start(true, args, Map.of()).close())
                .hasStackTraceContaining("sf1820.console.users.ida.password must be a password hash")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain("plain-secret"));
    }

    @Test
    void everythingButHealthAsksForAPassword() throws Exception {
        assertThat(get("/transfers", null).statusCode()).isEqualTo(401);
        assertThat(get("/", null).statusCode()).isEqualTo(401);
        assertThat(get("/transfers", basic("vera", "wrong")).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/health", null).statusCode()).isNotEqualTo(401);
    }

    @Test
    void aViewerSeesTheConsoleButMayNotAct() throws Exception {
        Session vera = new Session(basic("vera", "vera-secret"));

        assertThat(vera.get("/transfers").statusCode()).isEqualTo(200);
        assertThat(vera.get("/").body()).contains("sf1820 console");
        assertThat(vera.resend("nobody").statusCode()).isEqualTo(403);
    }

    @Test
    void anOperatorMayActWithTheCsrfTokenOnly() throws Exception {
        Session olaf = new Session(basic("olaf", "olaf-secret"));
        olaf.get("/");

        // past security, the action itself answers: there is no such transfer
        HttpResponse<String> resend = olaf.resend("no-such-transfer");
        assertThat(resend.statusCode()).isEqualTo(404);
        assertThat(resend.body()).contains("no transfer no-such-transfer");
        assertThat(olaf.post("/actions/transfers/no-such-transfer/resend", "{\"reason\":\"x\"}", false)
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void anOperatorReplaysADeadLetterToItsTopicByteForByteRecordingWhoAndWhy() throws Exception {
        // Given a record the packager refused, on its dead-letter topic with the original topic in the headers
        byte[] refused = {(byte) 0xC3, 0x01, 7, 7, 7};
        RecordMetadata letter;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record =
                    new ProducerRecord<>(Topics.EXTRACT_READY.deadLetter(), "t-dead", refused);
            record.headers()
                    .add(
                            KafkaHeaders.DLT_ORIGINAL_TOPIC,
                            Topics.EXTRACT_READY.name().getBytes(StandardCharsets.UTF_8));
            letter = producer.send(record).get();
        }
        Session olaf = new Session(basic("olaf", "olaf-secret"));
        olaf.get("/");

        // When the operator replays it
        HttpResponse<String> replay = olaf.post(
                "/actions/dead-letters/replay",
                "{\"topic\":\""
                        + Topics.EXTRACT_READY.deadLetter() + "\",\"partition\":" + letter.partition() + ",\"offset\":"
                        + letter.offset() + ",\"reason\":\"the registry knows KSD again\"}",
                true);

        // Then the same bytes are back on the original topic, and the replay is recorded with who and why
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
        assertThat(TopicReader.readAll(
                        kafka.getBrokersAsString(), Topics.EXTRACT_READY.name(), new ByteArrayDeserializer()))
                .filteredOn(r -> "t-dead".equals(r.key()))
                .singleElement()
                .satisfies(r -> assertThat(r.value()).isEqualTo(refused));
        DeadLetterReplayed recorded;
        try (TopicReader<SpecificRecordBase> actions =
                TopicReader.events(kafka.getBrokersAsString(), Topics.OPERATOR_ACTIONS.name())) {
            recorded = (DeadLetterReplayed) actions.await("t-dead").value();
        }
        assertThat(recorded.getRequestedBy()).isEqualTo("olaf");
        assertThat(recorded.getReason()).isEqualTo("the registry knows KSD again");
        assertThat(recorded.getDeadLetterOffset()).isEqualTo(letter.offset());
        assertThat(recorded.getOriginalTopic()).isEqualTo(Topics.EXTRACT_READY.name());
    }

    @Test
    void aFailedTransferIsResentOnceHoweverOftenTheOperatorAsks() throws Exception {
        // Given a failed transfer in the audit trail
        TransferRef ref = SampleEvents.ksd("t-failed-resent-once");
        Clock clock = Clock.systemUTC();
        PackageReady packaged = ref.stamp(new PackageReady(), clock);
        packaged.setPackageRef("file:///staging/packages/" + ref.transferId() + "/" + SampleEvents.KSD_FILE_NAME);
        packaged.setFileName(SampleEvents.KSD_FILE_NAME);
        packaged.setSizeBytes(3);
        packaged.setSha256("cd".repeat(32));
        packaged.setSender(SampleEvents.KSD_SENDER);
        packaged.setRecipients(List.of("DST-CEMOS-SFTPUsername"));
        packaged.setContentType("application/zip");
        DeliveryFailed failed = ref.stamp(new DeliveryFailed(), clock);
        failed.setFileName(SampleEvents.KSD_FILE_NAME);
        failed.setErrors(List.of());
        try (KafkaProducer<String, SpecificRecordBase> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()),
                new StringSerializer(),
                new EventSerializer())) {
            producer.send(new ProducerRecord<>(
                            Topics.EXTRACT_READY.name(), ref.transferId(), SampleEvents.extractReady(ref, clock)))
                    .get();
            producer.send(new ProducerRecord<>(Topics.PACKAGE_READY.name(), ref.transferId(), packaged))
                    .get();
            producer.send(new ProducerRecord<>(Topics.DELIVERY_OUTCOME.name(), ref.transferId(), failed))
                    .get();
        }
        Session olaf = new Session(basic("olaf", "olaf-secret"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> olaf.get("/transfers?state=FAILED").body().contains(ref.transferId()));

        // When the operator resends it, and asks again (a second click, or the retry of a request whose answer a
        // crash lost), also once the first action is back in the audit trail
        HttpResponse<String> first = olaf.resend(ref.transferId());
        HttpResponse<String> again = olaf.resend(ref.transferId());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> olaf.get("/transfers/" + ref.transferId() + "/audit")
                        .body()
                        .contains("ResendRequested"));
        HttpResponse<String> later = olaf.resend(ref.transferId());

        // Then one resend is recorded, and the repeats are refused naming it
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(List.of(again, later)).allSatisfy(refusal -> {
            assertThat(refusal.statusCode()).as(refusal.body()).isEqualTo(409);
            assertThat(refusal.body()).contains("was resent already");
        });
        try (TopicReader<SpecificRecordBase> actions =
                TopicReader.events(kafka.getBrokersAsString(), Topics.OPERATOR_ACTIONS.name())) {
            actions.await(ref.transferId());
        }
        assertThat(TopicReader.readAll(
                        kafka.getBrokersAsString(), Topics.OPERATOR_ACTIONS.name(), new ByteArrayDeserializer()))
                .filteredOn(r -> ref.transferId().equals(r.key()))
                .hasSize(1);
    }

    private static HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter text = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
    }

    /** A client keeping cookies, as a browser does: the XSRF-TOKEN cookie comes back as the header. */
    static final class Session {
        final CookieManager cookies = new CookieManager();
        final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).build();
        final String authorization;

        Session(String authorization) {
            this.authorization = authorization;
        }

        HttpResponse<String> get(String path) throws Exception {
            return http.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + path))
                            .header("Authorization", authorization)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> resend(String transferId) throws Exception {
            get("/transfers");
            return post("/actions/transfers/" + transferId + "/resend", "{\"reason\":\"a test\"}", true);
        }

        HttpResponse<String> post(String path, String json, boolean withToken) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json));
            if (withToken) {
                String token = cookies.getCookieStore().getCookies().stream()
                        .filter(c -> c.getName().equals("XSRF-TOKEN"))
                        .map(HttpCookie::getValue)
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no XSRF-TOKEN cookie"));
                request.header("X-XSRF-TOKEN", token);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}

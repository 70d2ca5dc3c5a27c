package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.testsupport.TopicReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Submitting an extract (issue 7), as an operator does: {@code ./sf1820 submit} and {@code POST /extracts}
 * on a running extractor. The same extract twice is recognised; a resend is a new delivery; VALG, a bad
 * period and a bad authority are refused with the reason.
 */
class SubmitIT {

    static final EmbeddedKafkaBroker kafka = new EmbeddedKafkaKraftBroker(1, 1);

    @TempDir
    static Path work;

    static ConfigurableApplicationContext extractor;
    static String baseUrl;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startExtractor() {
        kafka.afterPropertiesSet();
        List<String> args = new ArrayList<>(List.of(springArgs()));
        args.addAll(List.of("--sf1820.stages=extractor", "--server.port=0"));
        extractor = Sf1820Application.start(true, args, Map.of());
        baseUrl = "http://127.0.0.1:" + extractor.getEnvironment().getRequiredProperty("local.server.port");
    }

    static String[] springArgs() {
        return new String[] {
            "--sf1820.work-dir=" + work,
            "--sf1820.embedded.kafka=false",
            "--sf1820.embedded.serviceplatform=false",
            "--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString()
        };
    }

    @AfterAll
    static void stop() {
        if (extractor != null) {
            extractor.close();
        }
        kafka.destroy();
    }

    // ---- ./sf1820 submit

    @Test
    void submitPrintsTheTransferIdRefusesTheSameExtractAgainAndResendsOnPurpose() throws Exception {
        Path file = Files.writeString(work.resolve("ksd-cli.csv"), "cpr;dage\n0101010101;" + UUID.randomUUID() + "\n");

        CliResult first = cli("submit", "--fagsystem", "KSD", "--authority", "561", "--period", "M03", file.toString());
        assertThat(first.status()).isZero();
        String transferId = first.out().strip();
        assertThat(transferId).matches("[0-9a-f-]{36}");

        CliResult again =
                cli("submit", "--fagsystem", "KSD", "--authority", "0561", "--period", "M03", file.toString());
        assertThat(again.status()).isEqualTo(SubmitCommand.DUPLICATE);
        assertThat(again.err())
                .startsWith("sf1820 submit: duplicate: ")
                .contains("as transferId " + transferId)
                .contains("resend");

        CliResult resent = cli(
                "submit", "--fagsystem", "KSD", "--authority", "0561", "--period", "M03", "--resend", file.toString());
        assertThat(resent.status()).isZero();
        assertThat(resent.out().strip()).matches("[0-9a-f-]{36}").isNotEqualTo(transferId);
        assertThat(eventsFor(transferId)).hasSize(1);
        assertThat(eventsFor(resent.out().strip())).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "VALG|0561|M03|fagsystem VALG (Administrativt valgsystem) is refused: SF1820 specifies no extract for it",
                "KSD|0561|M13|period 'M13' is invalid: a month is M01-M12",
                "KSD|0999|M03|authority '0999' is not a Danish municipality code"
            })
    void submitRefusesWithTheReason(String fagsystem, String authority, String period, String reason) throws Exception {
        Path file = Files.writeString(work.resolve("refused-" + fagsystem + period + ".csv"), "x\n");

        CliResult refused =
                cli("submit", "--fagsystem", fagsystem, "--authority", authority, "--period", period, file.toString());

        assertThat(refused.status()).isEqualTo(SubmitCommand.REFUSED);
        assertThat(refused.err()).startsWith("sf1820 submit: refused: ").contains(reason);
    }

    // ---- POST /extracts

    @Test
    void anUploadAnswersCreatedWithTheTransferIdAndTheSameUploadConflictsNamingIt() throws Exception {
        String content = "ydelse;beloeb\n1;" + UUID.randomUUID() + "\n";

        HttpResponse<String> created = upload("KY", "0101", "K1", null, "ky-upload.csv", content);
        assertThat(created.statusCode()).isEqualTo(201);
        String transferId = field(created.body(), "transferId");
        ExtractReady event;
        try (TopicReader<SpecificRecordBase> topic =
                TopicReader.events(kafka.getBrokersAsString(), Topics.EXTRACT_READY.name())) {
            event = (ExtractReady) topic.await(transferId).value();
        }
        assertThat(event.getOriginalFileName()).isEqualTo("ky-upload.csv");
        assertThat(Path.of(URI.create(event.getStagedFile()))).hasContent(content);

        HttpResponse<String> conflict = upload("KY", "101", "K1", null, "ky-upload-again.csv", content);
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(field(conflict.body(), "transferId")).isEqualTo(transferId);
        assertThat(field(conflict.body(), "error")).contains("was submitted before");

        HttpResponse<String> resent = upload("KY", "101", "K1", "true", "ky-upload.csv", content);
        assertThat(resent.statusCode()).isEqualTo(201);
        assertThat(field(resent.body(), "transferId")).isNotEqualTo(transferId);
        // no upload outlives its request (the instance's uploads folder itself stays)
        try (Stream<Path> left = Files.walk(work.resolve("staging/uploads"))) {
            assertThat(left.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void aFileInTheStagingAreaCanBeSubmittedByItsPath() throws Exception {
        Path file = Files.writeString(
                Files.createDirectories(work.resolve("staging/inbox")).resolve("fbs.csv"),
                "laan\n" + UUID.randomUUID() + "\n");

        HttpResponse<String> created = postJson(
                "{\"fagsystem\":\"FBS\",\"authority\":\"0561\",\"period\":\"2025Y\"," + "\"path\":\"" + file + "\"}");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(eventsFor(field(created.body(), "transferId"))).hasSize(1);
    }

    @Test
    void aPathOutsideTheStagingAreaIsRefused() throws Exception {
        HttpResponse<String> refused = postJson("{\"fagsystem\":\"FBS\",\"authority\":\"0561\",\"period\":\"Y\","
                + "\"path\":\"" + work.resolve("staging/../outside.csv") + "\"}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(field(refused.body(), "error")).contains("is outside the staging area");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "VALG|0561|M03|SF1820 specifies no extract",
                "KSD|0561|Q1|period 'Q1' is invalid",
                "KSD|05610|M03|authority '05610' is not a Danish municipality code"
            })
    void anUploadIsRefusedWithTheReason(String fagsystem, String authority, String period, String reason)
            throws Exception {
        HttpResponse<String> refused = upload(fagsystem, authority, period, null, "x.csv", "x\n");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(field(refused.body(), "error")).contains(reason);
    }

    /** Hostile upload names are refused with the reason naming the field, never answered 500 (they were). */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // Tomcat's multipart parser refuses a NUL in a file name itself: 400 all the same
                "a\u0000b.csv|file name",
                "/|empty or hidden",
                "../..|empty or hidden",
            })
    void aHostileUploadNameIsRefusedWithTheReason(String fileName, String reason) throws Exception {
        HttpResponse<String> refused = upload("KSD", "0561", "M03", null, fileName, "x\n");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(field(refused.body(), "error")).contains(reason);
    }

    @Test
    void anUploadNameLongerThanTheFileSystemAllowsIsRefusedWithTheReason() throws Exception {
        HttpResponse<String> refused = upload("KSD", "0561", "M03", null, "a".repeat(300) + ".csv", "x\n");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(field(refused.body(), "error")).contains("304 bytes long; a file name has at most 255");
    }

    @Test
    void aPathWithANulIsRefusedWithTheReason() throws Exception {
        HttpResponse<String> refused = postJson("{\"fagsystem\":\"KSD\",\"authority\":\"0561\",\"period\":\"M03\","
                + "\"path\":\"" + work.resolve("staging/inbox") + "/a\\u0000b.csv\"}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(field(refused.body(), "error")).contains("is no valid path");
        HttpResponse<String> tooLong = postJson("{\"fagsystem\":\"KSD\",\"authority\":\"0561\",\"period\":\"M03\","
                + "\"path\":\""
                + Files.createDirectories(work.resolve("staging/inbox")).resolve("l".repeat(300))
                + "\"}");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(field(tooLong.body(), "error"))
                .contains("cannot be resolved: File name too long")
                .doesNotContain("Exception");
    }

    @Test
    void anUploadFromAnotherSitesPageInABrowserIsRefusedAndNeverAnnounced() throws Exception {
        // what a page on any site can make the operator's browser send: a multipart form, no preflight
        String content = "cpr;dage\n0101010101;" + UUID.randomUUID() + "\n";
        HttpResponse<String> crossSite = upload(
                Map.of("Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"),
                "KSD",
                "0561",
                "M03",
                null,
                "forged.csv",
                content);
        HttpResponse<String> olderBrowser =
                upload(Map.of("Origin", "https://evil.example"), "KSD", "0561", "M03", null, "forged.csv", content);

        assertThat(crossSite.statusCode()).isEqualTo(403);
        assertThat(field(crossSite.body(), "detail")).contains("comes from a web page of another site");
        assertThat(olderBrowser.statusCode()).isEqualTo(403);
        assertThat(field(olderBrowser.body(), "detail")).contains("origin 'https://evil.example'");
        // the same upload from the console's own origin, or from a script, is taken
        HttpResponse<String> sameOrigin = upload(
                Map.of("Origin", baseUrl, "Sec-Fetch-Site", "same-origin"),
                "KSD",
                "0561",
                "M03",
                null,
                "forged.csv",
                content);
        assertThat(sameOrigin.statusCode()).isEqualTo(201);
        String transferId = field(sameOrigin.body(), "transferId");
        assertThat(TopicReader.readAll(kafka.getBrokersAsString(), Topics.EXTRACT_READY.name()).stream()
                        .map(r -> (ExtractReady) r.value())
                        .filter(e -> e.getOriginalFileName().equals("forged.csv")))
                .as("ExtractReady of forged.csv: the accepted upload's only")
                .extracting(ExtractReady::getTransferId)
                .containsExactly(transferId);
    }

    @Test
    void aRequestAddressedToAForeignHostNameIsRefusedOnLoopback() throws Exception {
        // DNS rebinding: evil.example now resolves to 127.0.0.1, and the browser's request names it in Host
        int port = URI.create(baseUrl).getPort();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream()
                    .write(("GET /actuator/health HTTP/1.1\r\nHost: evil.example:" + port
                                    + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 403").contains("DNS rebinding");
        }
        assertThat(http.send(
                                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isNotEqualTo(403);
    }

    @Test
    void anUnreadableMultipartBodyOrJsonIsRefusedWithTheReason() throws Exception {
        HttpResponse<String> noBoundary = http.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/extracts"))
                        .header("Content-Type", "multipart/form-data")
                        .POST(HttpRequest.BodyPublishers.ofString("garbage"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> badJson = postJson("{\"fagsystem\":");

        assertThat(noBoundary.statusCode()).isEqualTo(400);
        assertThat(field(noBoundary.body(), "error")).contains("no multipart boundary");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(field(badJson.body(), "error"))
                .startsWith("the body is no submission: ")
                .contains("end-of-input")
                .contains("expected {");
        HttpResponse<String> wrongType = postJson("{\"fagsystem\": [\"KSD\"], \"path\": \"/x\"}");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(field(wrongType.body(), "error"))
                .startsWith("the body is no submission: field fagsystem: ")
                .contains("String")
                .contains("line 1, column");
    }

    record CliResult(int status, String out, String err) {}

    private static CliResult cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(springArgs()));
        int status = Cli.run(
                all.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliResult(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> upload(
            String fagsystem, String authority, String period, String resend, String fileName, String content)
            throws Exception {
        return upload(Map.of(), fagsystem, authority, period, resend, fileName, content);
    }

    private static HttpResponse<String> upload(
            Map<String, String> headers,
            String fagsystem,
            String authority,
            String period,
            String resend,
            String fileName,
            String content)
            throws Exception {
        String boundary = "sf1820-" + UUID.randomUUID();
        StringBuilder body = new StringBuilder();
        Map<String, String> fields =
                new LinkedHashMap<>(Map.of("fagsystem", fagsystem, "authority", authority, "period", period));
        if (resend != null) {
            fields.put("resend", resend);
        }
        fields.forEach((name, value) -> body.append("--")
                .append(boundary)
                .append("\r\n")
                .append("Content-Disposition: form-data; name=\"")
                .append(name)
                .append("\"\r\n\r\n")
                .append(value)
                .append("\r\n"));
        body.append("--")
                .append(boundary)
                .append("\r\n")
                .append("Content-Disposition: form-data; name=\"file\"; filename=\"")
                .append(fileName)
                .append("\"\r\n")
                .append("Content-Type: text/csv\r\n\r\n")
                .append(content)
                .append("\r\n")
                .append("--")
                .append(boundary)
                .append("--\r\n");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/extracts"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postJson(String json) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/extracts"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A string field of a flat JSON answer. */
    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"")
                .matcher(json);
        assertThat(m.find()).as("field %s in %s", name, json).isTrue();
        return m.group(1);
    }

    private static List<ConsumerRecord<String, SpecificRecordBase>> eventsFor(String transferId) {
        return TopicReader.readAll(kafka.getBrokersAsString(), Topics.EXTRACT_READY.name()).stream()
                .filter(r -> r.key().equals(transferId))
                .toList();
    }
}

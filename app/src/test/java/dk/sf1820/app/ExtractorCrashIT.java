package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.app.embedded.EmbeddedKafkaBroker;
import dk.sf1820.extractor.TransferIds;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.testsupport.TopicReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, "An extract was lost through kill -9": the extractor stage runs as a child JVM (drop
 * folder and {@code POST /extracts}) against a real broker; Kafka goes away, so the window between
 * the submission record and the ExtractReady stays open, and the child is killed (SIGKILL) inside it.
 * After the restart every extract is announced exactly once and nothing is refused.
 */
class ExtractorCrashIT {

    private static final Duration CHILD_START = Duration.ofSeconds(120);
    private static final String DROPPED = "cpr;dage\n0101010101;12\n";
    private static final String UPLOADED = "laan;antal\n1;3\n";

    private final HttpClient http = HttpClient.newHttpClient();
    private Path work;
    private EmbeddedKafkaBroker broker;
    private Process child;

    @AfterEach
    void stop() throws InterruptedException {
        if (child != null) {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void extractsRecordedButNotAnnouncedWhenTheProcessWasKilledAreAnnouncedOnceAfterTheRestart() throws Exception {
        Files.createDirectories(Path.of("target"));
        work = Files.createTempDirectory(Path.of("target"), "extractor-crash-it-")
                .toAbsolutePath();
        Path drop = work.resolve("drop");
        Path submissions = work.resolve("staging/submissions");
        Path upload = Files.createDirectories(work.resolve("staging/inbox")).resolve("fbs.csv");
        Files.writeString(upload, UPLOADED);
        String droppedId = TransferIds.of("KSD", "0561", "M03", sha256(DROPPED));
        String uploadedId = TransferIds.of("FBS", "0561", "M03", sha256(UPLOADED));
        int httpPort = freePort();
        broker = new EmbeddedKafkaBroker(work.resolve("kafka"), 0).start(Duration.ofSeconds(60));
        child = startExtractor(httpPort, "first");
        awaitHttp(httpPort);

        // Given Kafka is unreachable
        broker.close();
        // When an extract is dropped and another is submitted over HTTP
        Path dropped = Files.createDirectories(drop.resolve("KSD/0561/M03")).resolve("ksd.csv");
        Files.writeString(dropped, DROPPED);
        Files.writeString(dropped.resolveSibling("ksd.csv.done"), "");
        CompletableFuture<HttpResponse<String>> firstPost = post(httpPort, upload);
        // and the process is killed once both are recorded, neither announced
        await().atMost(Duration.ofSeconds(60)).until(() -> records(submissions).size() == 2);
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(firstPost).failsWithin(Duration.ofSeconds(30)); // the client never got its answer
        assertThat(records(submissions)).allSatisfy(r -> assertThat(r).doesNotContain("published-at"));

        // and Kafka comes back: status names both as accepted but never announced
        broker = new EmbeddedKafkaBroker(work.resolve("kafka"), 0).start(Duration.ofSeconds(60));
        assertThat(cli("status"))
                .contains("2 need(s) attention:")
                .containsPattern("(?m)^  " + droppedId + "  KSD 0561 M03  RECORDED, NEVER ANNOUNCED: accepted \\S+ ago"
                        + " from \\S+/processing/crash-it/KSD/0561/M03/ksd.csv \\(drop-folder\\)")
                .containsPattern("(?m)^  " + uploadedId + "  FBS 0561 M03  RECORDED, NEVER ANNOUNCED: accepted \\S+ ago"
                        + " from \\S+/staging/inbox/fbs.csv \\(submit\\)");
        // and the extractor restarts
        child = startExtractor(httpPort, "second");
        awaitHttp(httpPort);

        // Then the HTTP client's retry is accepted under the recorded transferId, not refused as its own duplicate
        HttpResponse<String> retry = post(httpPort, upload).get(90, TimeUnit.SECONDS);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
        assertThat(retry.body()).contains(uploadedId);
        // and the dropped file is announced from the processing folder, not refused
        await().atMost(Duration.ofSeconds(90))
                .until(() -> records(submissions).stream().allMatch(r -> r.contains("published-at")));
        await().atMost(Duration.ofSeconds(30)).until(() -> isEmptyTree(drop.resolve("processing")));
        assertThat(drop.resolve("refused"))
                .satisfiesAnyOf(
                        refused -> assertThat(refused).doesNotExist(),
                        refused -> assertThat(refused).isEmptyDirectory());
        // and each ExtractReady is on the topic exactly once, naming a staged copy that is there
        List<ConsumerRecord<String, SpecificRecordBase>> events =
                TopicReader.readAll(broker.bootstrapServers(), Topics.EXTRACT_READY.name());
        assertThat(events).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(droppedId, uploadedId);
        for (ConsumerRecord<String, SpecificRecordBase> event : events) {
            ExtractReady ready = (ExtractReady) event.value();
            assertThat(Path.of(URI.create(ready.getStagedFile())))
                    .hasContent(ready.getTransferId().equals(droppedId) ? DROPPED : UPLOADED);
        }
        assertThat(cli("status")).contains("2 transfer(s)").doesNotContain("NEVER ANNOUNCED");
    }

    @Test
    void anUploadInFlightWhenTheProcessWasKilledLeavesNoCopyOfTheExtractBehindAfterTheRestart() throws Exception {
        Files.createDirectories(Path.of("target"));
        work = Files.createTempDirectory(Path.of("target"), "extractor-crash-it-")
                .toAbsolutePath();
        Path uploads = work.resolve("staging/uploads");
        Path submissions = work.resolve("staging/submissions");
        String uploadedId = TransferIds.of("FBS", "0561", "M03", sha256(UPLOADED));
        int httpPort = freePort();
        broker = new EmbeddedKafkaBroker(work.resolve("kafka"), 0).start(Duration.ofSeconds(60));
        child = startExtractor(httpPort, "first");
        awaitHttp(httpPort);

        // Given an extract uploaded (multipart) while Kafka is unreachable, so that its request stays in flight
        broker.close();
        CompletableFuture<HttpResponse<String>> firstUpload = upload(httpPort, "fbs.csv", UPLOADED);
        await().atMost(Duration.ofSeconds(60)).until(() -> records(submissions).size() == 1);
        assertThat(filesUnder(uploads))
                .singleElement()
                .satisfies(copy -> assertThat(copy).hasContent(UPLOADED));
        // When the process is killed during the request, and restarts
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(firstUpload).failsWithin(Duration.ofSeconds(30)); // the client never got its answer
        broker = new EmbeddedKafkaBroker(work.resolve("kafka"), 0).start(Duration.ofSeconds(60));
        child = startExtractor(httpPort, "second");
        awaitHttp(httpPort);

        // Then the upload's copy of the extract (personal data) is gone, not kept for ever outside every retention
        assertThat(filesUnder(uploads)).isEmpty();
        // and the client's retry is accepted under the recorded transferId, its copy deleted after the request
        HttpResponse<String> retry = upload(httpPort, "fbs.csv", UPLOADED).get(90, TimeUnit.SECONDS);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
        assertThat(retry.body()).contains(uploadedId);
        assertThat(filesUnder(uploads)).isEmpty();
    }

    private CompletableFuture<HttpResponse<String>> upload(int port, String fileName, String content) {
        String boundary = "sf1820-crash-it-boundary";
        StringBuilder body = new StringBuilder();
        for (String[] field : new String[][] {{"fagsystem", "FBS"}, {"authority", "0561"}, {"period", "M03"}}) {
            body.append("--")
                    .append(boundary)
                    .append("\r\nContent-Disposition: form-data; name=\"")
                    .append(field[0])
                    .append("\"\r\n\r\n")
                    .append(field[1])
                    .append("\r\n");
        }
        body.append("--")
                .append(boundary)
                .append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
                .append(fileName)
                .append("\"\r\nContent-Type: text/csv\r\n\r\n")
                .append(content)
                .append("\r\n--")
                .append(boundary)
                .append("--\r\n");
        return postExtracts(port, "multipart/form-data; boundary=" + boundary, body.toString());
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).toList();
        }
    }

    private String cli(String... args) {
        return CliAgainstBroker.run(broker.bootstrapServers(), work, args);
    }

    private Process startExtractor(int httpPort, String run) throws IOException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dk.sf1820.schemas.avro",
                "-Dserver.port=" + httpPort, // the command line passes on only --spring., --sf1820. and --logging. keys
                "-cp",
                System.getProperty("java.class.path"),
                Sf1820Application.class.getName(),
                "run",
                "--sf1820.work-dir=" + work,
                "--sf1820.stages=extractor",
                "--sf1820.embedded.kafka=false",
                "--sf1820.embedded.serviceplatform=false",
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--sf1820.extractor.drop-folder.dir=" + work.resolve("drop"),
                "--sf1820.extractor.drop-folder.instance=crash-it",
                "--sf1820.extractor.drop-folder.poll-interval=200ms",
                // the retries above must meet unannounced records: the announcer is tested on its own
                "--sf1820.extractor.announcer.grace=10m");
        Path log = work.resolve("extractor-" + run + ".log");
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .start();
    }

    private void awaitHttp(int port) {
        await().atMost(CHILD_START).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertThat(child.isAlive())
                    .as("extractor child alive, see %s", work)
                    .isTrue();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 250);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private CompletableFuture<HttpResponse<String>> post(int port, Path file) {
        String json = "{\"fagsystem\":\"FBS\",\"authority\":\"0561\",\"period\":\"M03\",\"path\":\"" + file + "\"}";
        return postExtracts(port, "application/json", json);
    }

    private CompletableFuture<HttpResponse<String>> postExtracts(int port, String contentType, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/extracts"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> records(Path submissions) throws IOException {
        if (!Files.isDirectory(submissions)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(submissions)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".properties"))
                    .map(f -> {
                        try {
                            return Files.readString(f);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toList();
        }
    }

    private static boolean isEmptyTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.noneMatch(Files::isRegularFile);
        }
    }

    private static String sha256(String content) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

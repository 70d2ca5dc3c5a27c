package dk.sf1820.serviceplatform;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.testsupport.Triggers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scans and housekeeping on demand over HTTP, as the tests, the demo and an operator use them. */
class EmulatorHttpControlIT {

    static final String KSD = "KSD_SFTPSIMPEL";
    static final String DST = "DST-CEMOS-SFTPUsername";

    @TempDir
    static Path dir;

    static ServiceplatformFixture test;
    static EmulatorHttpControl control;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        test = ServiceplatformFixture.start(dir, KSD, DST);
        control = EmulatorHttpControl.start(test.emulator(), 0);
    }

    @AfterAll
    static void stop() {
        control.close();
        test.close();
    }

    @Test
    void postScanRoutesAndAnswersTheReport() throws Exception {
        String fileName = "KSD_DST_0561_M03_20260331080000.zip";
        String sendersFileId = UUID.randomUUID().toString();
        try (SftpClient sender = SftpClient.connect(test.emulator(), test.key(KSD), test.knownHosts())) {
            sender.put(new byte[7], "/OUT/" + fileName);
            sender.put(
                    Triggers.xml(Triggers.trigger(fileName, 7, KSD, sendersFileId, List.of(DST))),
                    "/OUT/" + fileName + ".trigger");
            sender.put(
                    Triggers.xml(Triggers.trigger("missing.zip", 7, KSD, "id-2", List.of(DST))),
                    "/OUT/missing.zip.trigger");
        }

        HttpResponse<String> response = post("/scan");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
        assertThat(response.body().lines().toList())
                .first()
                .asString()
                .startsWith("scan startedAt=")
                .endsWith(" triggers=2 delivered=1 rejected=1 deferred=0");
        assertThat(response.body())
                .contains("DELIVERED user=KSD_SFTPSIMPEL trigger=" + fileName + ".trigger file=" + fileName
                        + " sendersFileId=" + sendersFileId + " fileTransferUUID=")
                .contains("REJECTED user=KSD_SFTPSIMPEL trigger=missing.zip.trigger file=missing.zip "
                        + "sendersFileId=id-2")
                .contains(" errors=300\n  300 DATA_FILE_MISSING: FileName 'missing.zip' is not in the OUT folder");
        assertThat(test.emulator().home(DST).resolve("IN").resolve(fileName)).exists();
    }

    @Test
    void postHousekeepingAnswersTheReport() throws Exception {
        HttpResponse<String> response = post("/housekeeping");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("housekeeping ranAt=").contains(" warnings=0 deletions=0");
    }

    @Test
    void getIsRefusedSoThatNothingRoutesByAccident() throws Exception {
        Files.write(test.emulator().home(KSD).resolve("OUT/untouched.zip.trigger"), new byte[] {'<'});

        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(uri("/scan")).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).contains("POST");
        assertThat(test.emulator().home(KSD).resolve("OUT/untouched.zip.trigger"))
                .exists();
        Files.delete(test.emulator().home(KSD).resolve("OUT/untouched.zip.trigger"));
    }

    @Test
    void unknownPathIsNotFound() throws Exception {
        assertThat(post("/scan/now").statusCode()).isEqualTo(404);
        assertThat(post("/").statusCode()).isEqualTo(404);
    }

    @Test
    void listensOnLoopbackOnly() {
        assertThat(control.address().getAddress().isLoopbackAddress()).isTrue();
    }

    private static HttpResponse<String> post(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri(path))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + control.port() + path);
    }
}

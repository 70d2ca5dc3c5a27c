package dk.sf1820.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dk.sf1820.schemas.registry.FagsystemRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

class ExtractsControllerTest {

    @TempDir
    Path staging;

    @Test
    void anExtractKafkaDidNotAcknowledgeIsAnswered503WithItsTransferIdAndItsRetryIsNotADuplicate() throws Exception {
        Path file = Files.writeString(
                Files.createDirectories(staging.resolve("inbox")).resolve("ksd.csv"), "cpr;dage\n0101010101;12\n");
        String transferId = TransferIds.of(
                "KSD",
                "0561",
                "M03",
                new ExtractStager(FagsystemRegistry.standard(), Files.createTempDirectory(staging, "probe"))
                        .stage(new ExtractRequest("KSD", "0561", "M03", file))
                        .sha256());
        ExtractStager stager = new ExtractStager(
                FagsystemRegistry.standard(), staging, new SubmissionLedger(staging, Clock.systemUTC()));
        String json = "{\"fagsystem\":\"KSD\",\"authority\":\"0561\",\"period\":\"M03\",\"path\":\"" + file + "\"}";

        try (UnreachableKafka kafka = new UnreachableKafka()) {
            MockMvc http = controller(stager, kafka);

            for (int attempt = 0; attempt < 2; attempt++) {
                http.perform(post("/extracts")
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(json))
                        .andExpect(status().isServiceUnavailable())
                        .andExpect(jsonPath("$.transferId").value(transferId))
                        .andExpect(
                                jsonPath("$.error").value(containsString("will be announced when Kafka is reachable")));
            }
        }
    }

    @Test
    void aStagingAreaThatCannotBeWrittenIsAnswered503NamingWhyNotABare500() throws Exception {
        // Given a staging area whose extracts folder cannot be created (as on a full disk, it cannot be written)
        Path file = Files.writeString(
                Files.createDirectories(staging.resolve("inbox")).resolve("ksd.csv"), "cpr;dage\n0101010101;12\n");
        Files.writeString(staging.resolve("extracts"), "not a folder");
        ExtractStager stager = new ExtractStager(
                FagsystemRegistry.standard(), staging, new SubmissionLedger(staging, Clock.systemUTC()));
        String json = "{\"fagsystem\":\"KSD\",\"authority\":\"0561\",\"period\":\"M03\",\"path\":\"" + file + "\"}";

        try (UnreachableKafka kafka = new UnreachableKafka()) {
            MockMvc http = controller(stager, kafka);

            // Then the client is told to come back, and why
            http.perform(post("/extracts")
                            .contentType(MediaType.APPLICATION_JSON)
                            .content(json))
                    .andExpect(status().isServiceUnavailable())
                    .andExpect(header().string("Retry-After", "60"))
                    .andExpect(jsonPath("$.error").value(containsString("cannot create staging directory")))
                    .andExpect(jsonPath("$.error").value(containsString("send it again")));
        }
    }

    @Test
    void anUploadTheStagingAreaCannotTakeIsAnswered503NamingWhy() throws Exception {
        // Given a staging area whose uploads folder cannot be created
        Files.writeString(staging.resolve(ExtractsController.UPLOADS), "not a folder");
        ExtractStager stager = new ExtractStager(
                FagsystemRegistry.standard(), staging, new SubmissionLedger(staging, Clock.systemUTC()));

        try (UnreachableKafka kafka = new UnreachableKafka()) {
            MockMvc http = controller(stager, kafka);

            // Then a multipart upload is answered 503 naming the folder, not a bare 500
            http.perform(multipart("/extracts")
                            .file(new MockMultipartFile("file", "ksd.csv", "text/csv", "cpr;dage\n1;2\n".getBytes()))
                            .param("fagsystem", "KSD")
                            .param("authority", "0561")
                            .param("period", "M03"))
                    .andExpect(status().isServiceUnavailable())
                    .andExpect(header().string("Retry-After", "60"))
                    .andExpect(jsonPath("$.error").value(containsString(ExtractsController.UPLOADS)))
                    .andExpect(jsonPath("$.error").value(containsString("send it again")));
        }
    }

    @Test
    void anUploadWithTwoFilePartsIsRefusedRatherThanOneTakenAtRandom() throws Exception {
        ExtractStager stager = new ExtractStager(
                FagsystemRegistry.standard(), staging, new SubmissionLedger(staging, Clock.systemUTC()));

        try (UnreachableKafka kafka = new UnreachableKafka()) {
            controller(stager, kafka)
                    .perform(multipart("/extracts")
                            .file(new MockMultipartFile("file", "ksd.csv", "text/csv", "cpr;dage\n1;2\n".getBytes()))
                            .file(new MockMultipartFile("file", "other.csv", "text/csv", "cpr;dage\n3;4\n".getBytes()))
                            .param("fagsystem", "KSD")
                            .param("authority", "0561")
                            .param("period", "M03"))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.error")
                            .value("file: the request has 2 file parts; upload one extract per" + " request"));
        }
        assertThat(new SubmissionLedger(staging, Clock.systemUTC()).unannounced())
                .isEmpty();
    }

    @Test
    void aHugeValueIsNotEchoedWholeInTheAnswer() throws Exception {
        ExtractStager stager = new ExtractStager(
                FagsystemRegistry.standard(), staging, new SubmissionLedger(staging, Clock.systemUTC()));
        String longPath = "/" + "a".repeat(5000);
        String hugeFagsystem = "K".repeat(100_000);

        try (UnreachableKafka kafka = new UnreachableKafka()) {
            MockMvc http = controller(stager, kafka);

            http.perform(post("/extracts")
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{\"fagsystem\":\"KSD\",\"authority\":\"0561\",\"period\":\"M03\",\"path\":\""
                                    + longPath + "\"}"))
                    .andExpect(status().isBadRequest())
                    .andExpect(
                            jsonPath("$.error").value("path is 5001 bytes long; a path has at most 4096 (PATH_MAX)"));
            String answer = http.perform(multipart("/extracts")
                            .file(new MockMultipartFile("file", "ksd.csv", "text/csv", "cpr;dage\n1;2\n".getBytes()))
                            .param("fagsystem", hugeFagsystem)
                            .param("authority", "0561")
                            .param("period", "M03"))
                    .andExpect(status().isBadRequest())
                    .andReturn()
                    .getResponse()
                    .getContentAsString();
            assertThat(answer)
                    .hasSizeLessThan(ExtractsController.MAX_REASON_CHARS + 200)
                    .contains("fagsystem 'KKKK")
                    .contains("characters)");
        }
    }

    /** The controller over this staging area, with its submitter publishing to {@code kafka}. */
    private MockMvc controller(ExtractStager stager, UnreachableKafka kafka) {
        return MockMvcBuilders.standaloneSetup(
                        new ExtractsController(new ExtractSubmitter(stager, kafka.publisher()), staging, "test"))
                .build();
    }
}

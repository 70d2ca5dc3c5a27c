package dk.sf1820.extractor;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.schemas.registry.FagsystemRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AbandonedPartialsTest {

    @TempDir
    Path staging;

    @Test
    void aPartialCopyAKilledProcessLeftIsDeletedOnceAbandonedAndAStagedExtractIsNot() throws Exception {
        // Given a staged extract, and beside it what a process killed while it copied another one leaves: the
        // partial copy under the stager's hidden name, with the extract's rows (personal data) in it
        ExtractStager stager = new ExtractStager(
                FagsystemRegistry.standard(), staging, new SubmissionLedger(staging, Clock.systemUTC()));
        Path file = Files.writeString(staging.resolve("fbs.csv"), "laan;antal\n1;3\n");
        Path staged =
                stager.stage(new ExtractRequest("FBS", "0561", "M03", file)).file();
        Path crashed = Files.writeString(
                staging.resolve(ExtractStager.EXTRACTS)
                        .resolve(AbandonedPartials.PREFIX + "4242" + AbandonedPartials.SUFFIX),
                "cpr;dage\n0101010101;12\n");

        // When the sweep runs within the hour, the copy may still be in progress (another instance's): it is kept
        assertThat(new AbandonedPartials(staging, Clock.systemUTC()).deleteAbandoned())
                .isEmpty();
        assertThat(crashed).exists();
        // Then after the hour it is deleted, and the staged extract is not
        Clock later = Clock.fixed(
                Instant.now().plus(AbandonedPartials.ABANDONED).plus(Duration.ofMinutes(1)), ZoneOffset.UTC);
        assertThat(new AbandonedPartials(staging, later).deleteAbandoned()).containsExactly(crashed);
        assertThat(crashed).doesNotExist();
        assertThat(staged).hasContent("laan;antal\n1;3\n");
    }
}

package dk.sf1820.dst;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DstReceiverPropertiesTest {

    @Test
    void expectedSendersDefaultToEverySenderWithAnExtract() {
        DstReceiverProperties properties = properties(List.of());
        assertThat(DstReceiverConfiguration.expectedSenders(properties, FagsystemRegistry.standard()))
                .containsExactlyInAnyOrder(
                        "KSD_SFTPSIMPEL", "DUBU_SFTPSIMPEL", "KY_SFTPSIMPEL", "FBS_SFTPSIMPEL", "KP_SFTPSIMPEL");
    }

    @Test
    void configuredSendersReplaceTheRegistryDefault() {
        FagsystemRegistry registry = new FagsystemRegistry(List.of(Fagsystem.withExtract("KSD", "x")));
        assertThat(DstReceiverConfiguration.expectedSenders(properties(List.of("KY_SFTPSIMPEL")), registry))
                .containsExactly("KY_SFTPSIMPEL");
    }

    @Test
    void hostileNamesNeverChooseWhereAFileLands() {
        assertThat(LocalNames.safe("KSD_DST_0561_M03_20180402134858.zip"))
                .isEqualTo("KSD_DST_0561_M03_20180402134858.zip");
        assertThat(LocalNames.safe("..")).doesNotContain("/").isNotEqualTo("..");
        assertThat(LocalNames.safe("a\\..\\b")).doesNotContain("\\");
        assertThat(LocalNames.safe("")).isEqualTo("unnamed");
    }

    private static DstReceiverProperties properties(List<String> senders) {
        return new DstReceiverProperties(
                "DST-CEMOS-SFTPUsername", "/IN", Path.of("store"), Path.of("rejected"), Duration.ofMinutes(1), senders);
    }
}

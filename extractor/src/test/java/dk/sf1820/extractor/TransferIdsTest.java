package dk.sf1820.extractor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class TransferIdsTest {

    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void isAStableLowerCaseNameBasedUuid() {
        String id = TransferIds.of("KSD", "0561", "M03", SHA);

        assertThat(id)
                .isEqualTo(TransferIds.of("KSD", "0561", "M03", SHA))
                .matches("[a-f0-9]{8}-[a-f0-9]{4}-3[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}");
        assertThat(UUID.fromString(id).version()).isEqualTo(3);
    }

    @Test
    void fieldBoundariesMatter() {
        assertThat(TransferIds.of("KS", "D0561", "M03", SHA)).isNotEqualTo(TransferIds.of("KSD", "0561", "M03", SHA));
    }
}

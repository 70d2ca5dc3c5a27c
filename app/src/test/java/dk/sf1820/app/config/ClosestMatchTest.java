package dk.sf1820.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClosestMatchTest {

    @Test
    void countsSingleCharacterEdits() {
        assertThat(ClosestMatch.distance("scan-intervall", "scan-interval")).isEqualTo(1);
        assertThat(ClosestMatch.distance("fagsytem", "fagsystem")).isEqualTo(1);
        assertThat(ClosestMatch.distance("", "abc")).isEqualTo(3);
        assertThat(ClosestMatch.distance("kitten", "sitting")).isEqualTo(3);
    }

    @Test
    void picksTheNearestCandidateIgnoringCase() {
        assertThat(ClosestMatch.of("Fagsytem", List.of("authority", "fagsystem", "period")))
                .contains("fagsystem");
        assertThat(ClosestMatch.of("bootstrap-server", List.of("bootstrap-servers", "work-dir")))
                .contains("bootstrap-servers");
        assertThat(ClosestMatch.of("x", List.of())).isEmpty();
    }
}

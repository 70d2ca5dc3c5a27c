package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReadableDurationsTest {

    @Test
    void printsTheLargestWholeUnit() {
        assertThat(ReadableDurations.of(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(ReadableDurations.of(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(ReadableDurations.of(Duration.ofDays(30))).isEqualTo("30d");
        assertThat(ReadableDurations.of(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(ReadableDurations.of(Duration.ofMillis(200))).isEqualTo("200ms");
        assertThat(ReadableDurations.of(Duration.ZERO)).isEqualTo("0ms");
    }
}

package dk.sf1820.app;

import java.time.Duration;

/** Durations as an operator writes them ({@code 10m}, {@code 2s}, {@code 200ms}), not as {@code PT10M}. */
final class ReadableDurations {

    private ReadableDurations() {}

    static String of(Duration duration) {
        long millis = duration.toMillis();
        if (millis != 0 && millis % 86_400_000 == 0) {
            return millis / 86_400_000 + "d";
        } else if (millis != 0 && millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        } else if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        } else if (millis != 0 && millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}

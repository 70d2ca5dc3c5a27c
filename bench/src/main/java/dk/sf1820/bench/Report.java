package dk.sf1820.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The bench's result rows: printed, and appended to a results file that bench/run.sh turns into
 * docs/benchmarks.md. One row: comparison, ours, baseline, ratio (higher is better), target, met.
 */
final class Report {

    private final Path results;

    Report(Path results) {
        this.results = results;
    }

    /** A ratio row; {@code ratio} is oriented so that higher is better. */
    void ratio(String comparison, String ours, String baseline, double ratio, double target) throws IOException {
        row(
                comparison,
                ours,
                baseline,
                String.format(Locale.ROOT, "%.2f×", ratio),
                String.format(Locale.ROOT, "≥ %.2f×", target),
                ratio >= target ? "yes" : "no");
    }

    void row(String comparison, String ours, String baseline, String ratio, String target, String met)
            throws IOException {
        String line = "| " + String.join(" | ", comparison, ours, baseline, ratio, target, met) + " |";
        System.out.println(line);
        Files.writeString(results, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (met.equals("no")) {
            // bench/run.sh names every missed target and exits non-zero.
            Files.writeString(
                    sibling("missed"),
                    comparison + ": " + ours + (ratio.equals("—") ? "" : ", " + ratio) + "; target " + target
                            + System.lineSeparator(),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    /** A file beside the results file, for data one driver leaves for another ({@link Summary}). */
    Path sibling(String suffix) {
        return results.resolveSibling(results.getFileName() + "." + suffix);
    }

    /** A free-text note under the table (run details, raw times). */
    void note(String text) throws IOException {
        System.out.println("  " + text);
        Files.writeString(
                sibling("notes"),
                "- " + text + System.lineSeparator(),
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}

package dk.sf1820.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rows of comparisons 4 and 6, from what {@link PipelineBench} ({@code .one}: one line per run,
 * {@code label seconds peakHeapMiB peakRssMiB maxHeapMiB inputBytes result}) and {@link ShellBaseline}
 * ({@code .baseline}: seconds per run) left beside the results file.
 * {@code Summary <results> <e2e label> <memory label>}
 */
public final class Summary {

    public static void main(String[] args) throws Exception {
        Report report = new Report(Path.of(args[0]));
        String e2e = args[1];
        String memory = args.length > 2 ? args[2] : "";
        List<String[]> runs = new ArrayList<>();
        if (Files.exists(report.sibling("one"))) {
            Files.readAllLines(report.sibling("one")).stream()
                    .filter(l -> !l.isBlank())
                    .map(l -> l.split(" "))
                    .forEach(runs::add);
        }
        List<Double> ours = runs.stream()
                .filter(r -> r[0].equals(e2e))
                .map(r -> Double.parseDouble(r[1]))
                .toList();
        if (!ours.isEmpty() && Files.exists(report.sibling("baseline"))) {
            List<Double> baseline = Files.readAllLines(report.sibling("baseline")).stream()
                    .filter(l -> !l.isBlank())
                    .map(Double::parseDouble)
                    .toList();
            double o = Measure.median(ours);
            double b = Measure.median(baseline);
            String size = Sizes.mib(Long.parseLong(
                    runs.stream().filter(r -> r[0].equals(e2e)).findFirst().orElseThrow()[5]));
            // The pipeline's runs and the shell's are not interleaved (each pipeline run is a fresh JVM), so the
            // spread beside the ratio is of all pairs of runs, not of runs side by side.
            double worst = Measure.max(ours) / Measure.min(baseline);
            double best = Measure.min(ours) / Measure.max(baseline);
            String ratio = String.format(Locale.ROOT, "%.2f×", o / b)
                    + (ours.size() + baseline.size() > 2
                            ? String.format(Locale.ROOT, " (%.2f–%.2f×)", best, worst)
                            : "");
            report.row(
                    "end to end " + size
                            + ": pipeline (drop folder `.done` → data file and trigger on the platform) vs "
                            + "`zip -6` + `sftp` put of data file and trigger",
                    Measure.medianAndSpread(ours, " s"),
                    Measure.medianAndSpread(baseline, " s"),
                    ratio,
                    "≤ 0.50×",
                    o / b <= 0.5 ? "yes" : "no");
            report.note(
                    "end to end seconds per run: pipeline " + Measure.list(ours) + ", shell " + Measure.list(baseline));
        }
        for (String label : List.of(e2e, memory)) {
            List<String[]> of = runs.stream().filter(r -> r[0].equals(label)).toList();
            if (label.isEmpty() || of.isEmpty()) {
                continue;
            }
            long heap = of.stream().mapToLong(r -> Long.parseLong(r[2])).max().orElseThrow();
            long rss = of.stream().mapToLong(r -> Long.parseLong(r[3])).max().orElseThrow();
            boolean finished = of.stream().allMatch(r -> r[6].equals("DeliverySucceeded"));
            report.row(
                    "memory: " + Sizes.mib(Long.parseLong(of.get(0)[5])) + " extract, whole pipeline in one JVM"
                            + " with -Xmx" + of.get(0)[4] + "m (" + of.size() + " run" + (of.size() > 1 ? "s" : "")
                            + ")",
                    "peak heap " + heap + " MiB, peak RSS " + rss + " MiB",
                    "—",
                    finished ? "delivered" : "NOT delivered",
                    "finishes, heap flat",
                    finished ? "yes" : "no");
        }
    }
}

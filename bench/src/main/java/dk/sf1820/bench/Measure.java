package dk.sf1820.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Wall-clock timing, medians and the external tools the bench compares against. */
final class Measure {

    private Measure() {}

    interface Run {
        void run() throws Exception;
    }

    /** Seconds one run takes. */
    static double seconds(Run run) throws Exception {
        long start = System.nanoTime();
        run.run();
        return (System.nanoTime() - start) / 1e9;
    }

    static double median(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static double percentile(List<Double> values, double p) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** Runs a command to its end; fails with its output when it exits non-zero. */
    static void exec(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(dir == null ? null : dir.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(2, TimeUnit.HOURS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
                    + new String(output, StandardCharsets.UTF_8));
        }
    }

    /** Runs a command with its standard output going to {@code output}. */
    static void execTo(Path output, String... command) throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder(command).redirectOutput(output.toFile()).start();
        byte[] errors = process.getErrorStream().readAllBytes();
        if (!process.waitFor(2, TimeUnit.HOURS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
                    + new String(errors, StandardCharsets.UTF_8));
        }
    }

    static String fmt(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** A median with the runs' spread beside it: {@code 12.41 s (12.20–12.93)}; one run prints just its value. */
    static String medianAndSpread(List<Double> values, String unit) {
        String median = fmt(median(values)) + unit;
        if (values.size() < 2) {
            return median;
        }
        return median + " (" + fmt(min(values)) + "–" + fmt(max(values)) + ")";
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** {@code numerator[i] / denominator[i]} for each run: a ratio measured side by side within one run. */
    static List<Double> perRun(List<Double> numerator, List<Double> denominator) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(numerator.size(), denominator.size()); i++) {
            ratios.add(numerator.get(i) / denominator.get(i));
        }
        return ratios;
    }

    /** A ratio's median with the runs' spread: {@code 1.25× (1.10–1.40×)}. */
    static String ratioAndSpread(List<Double> ratios) {
        String median = String.format(Locale.ROOT, "%.2f×", median(ratios));
        if (ratios.size() < 2) {
            return median;
        }
        return median + String.format(Locale.ROOT, " (%.2f–%.2f×)", min(ratios), max(ratios));
    }

    static String list(List<Double> values) {
        return Arrays.toString(values.stream().map(Measure::fmt).toArray());
    }

    static List<Double> repeat(int runs, Run run) throws Exception {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            times.add(seconds(run));
        }
        return times;
    }
}

package dk.sf1820.bench;

import dk.sf1820.packager.DeflateLibrary;
import dk.sf1820.packager.Packager;
import dk.sf1820.packager.PackagerProperties;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Comparison 3: the packager stage (parallel Deflate, level 6, one thread per core) against Info-ZIP
 * {@code zip -6} and {@code pigz -6} on the same CSV; runs interleaved so noise hits all three alike.
 * {@code PackagingBench <csv> <work dir> <results file> <runs>}
 */
public final class PackagingBench {

    public static void main(String[] args) throws Exception {
        Path csv = Path.of(args[0]).toAbsolutePath();
        Path work = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
        Report report = new Report(Path.of(args[2]));
        int runs = Integer.parseInt(args[3]);
        Path staging = Files.createDirectories(work.resolve("staging"));
        Packager packager = new Packager(
                FagsystemRegistry.standard(),
                new PackagerProperties(
                        staging,
                        ZoneId.of("Europe/Copenhagen"),
                        6,
                        DeflateLibrary.AUTO,
                        0,
                        Duration.ofDays(30),
                        Duration.ofHours(1),
                        1),
                Clock.systemUTC());
        ExtractReady extract = StagedFile.stage(staging, csv);
        Path zip = work.resolve("info-zip.zip");
        Path gz = work.resolve("pigz.gz");

        List<Double> ours = new ArrayList<>();
        List<Double> zipTimes = new ArrayList<>();
        List<Double> pigzTimes = new ArrayList<>();
        long oursSize = 0;
        for (int i = 0; i < runs; i++) {
            PackageReady[] ready = new PackageReady[1];
            ours.add(Measure.seconds(() -> ready[0] = packager.pack(extract)));
            oursSize = ready[0].getSizeBytes();
            Files.delete(Path.of(URI.create(ready[0].getPackageRef())));
            Files.deleteIfExists(zip);
            zipTimes.add(
                    Measure.seconds(() -> Measure.exec(work, "zip", "-6", "-q", "-j", zip.toString(), csv.toString())));
            pigzTimes.add(Measure.seconds(() -> Measure.execTo(gz, "pigz", "-6", "-c", csv.toString())));
        }
        long zipSize = Files.size(zip);
        long pigzSize = Files.size(gz);
        Files.delete(zip);
        Files.delete(gz);
        String input = Sizes.mib(Files.size(csv));
        compare(report, input, "zip -6", ours, zipTimes, oursSize, zipSize, 1.7, 1.01);
        compare(report, input, "pigz -6", ours, pigzTimes, oursSize, pigzSize, 1.0, 1.0);
        report.note("packaging seconds per run: packager " + Measure.list(ours) + ", zip -6 " + Measure.list(zipTimes)
                + ", pigz -6 " + Measure.list(pigzTimes) + " (" + runs + " runs, median)");
    }

    /**
     * The two rows for one tool: our speed against its (the median of the per-run ratios, at least {@code
     * speedTarget}) and our size against its (at most {@code sizeTarget} times).
     */
    private static void compare(
            Report report,
            String input,
            String tool,
            List<Double> ours,
            List<Double> theirs,
            long oursSize,
            long theirSize,
            double speedTarget,
            double sizeTarget)
            throws IOException {
        List<Double> speedRatios = Measure.perRun(theirs, ours);
        report.row(
                "packaging " + input + ": speed vs `" + tool + "`",
                Measure.medianAndSpread(ours, " s"),
                Measure.medianAndSpread(theirs, " s"),
                Measure.ratioAndSpread(speedRatios),
                String.format(Locale.ROOT, "≥ %.2f×", speedTarget),
                Measure.median(speedRatios) >= speedTarget ? "yes" : "no");
        report.row(
                "packaging " + input + ": size vs `" + tool + "`",
                Sizes.mib(oursSize),
                Sizes.mib(theirSize),
                String.format(Locale.ROOT, "%.4f×", (double) oursSize / theirSize),
                String.format(Locale.ROOT, "≤ %.2f×", sizeTarget),
                oursSize <= theirSize * sizeTarget ? "yes" : "no");
    }
}

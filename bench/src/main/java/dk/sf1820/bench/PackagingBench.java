package dk.sf1820.bench;

import dk.sf1820.packager.DeflateLibrary;
import dk.sf1820.packager.Packager;
import dk.sf1820.packager.PackagerProperties;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

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
        List<Double> vsZip = Measure.perRun(zipTimes, ours);
        List<Double> vsPigz = Measure.perRun(pigzTimes, ours);
        report.row(
                "packaging " + input + ": speed vs `zip -6`",
                Measure.medianAndSpread(ours, " s"),
                Measure.medianAndSpread(zipTimes, " s"),
                Measure.ratioAndSpread(vsZip),
                "≥ 1.70×",
                Measure.median(vsZip) >= 1.7 ? "yes" : "no");
        report.row(
                "packaging " + input + ": size vs `zip -6`",
                Sizes.mib(oursSize),
                Sizes.mib(zipSize),
                String.format(java.util.Locale.ROOT, "%.4f×", (double) oursSize / zipSize),
                "≤ 1.01×",
                oursSize <= zipSize * 1.01 ? "yes" : "no");
        report.row(
                "packaging " + input + ": speed vs `pigz -6`",
                Measure.medianAndSpread(ours, " s"),
                Measure.medianAndSpread(pigzTimes, " s"),
                Measure.ratioAndSpread(vsPigz),
                "≥ 1.00×",
                Measure.median(vsPigz) >= 1.0 ? "yes" : "no");
        report.row(
                "packaging " + input + ": size vs `pigz -6`",
                Sizes.mib(oursSize),
                Sizes.mib(pigzSize),
                String.format(java.util.Locale.ROOT, "%.4f×", (double) oursSize / pigzSize),
                "≤ 1.00×",
                oursSize <= pigzSize ? "yes" : "no");
        report.note("packaging seconds per run: packager " + Measure.list(ours) + ", zip -6 " + Measure.list(zipTimes)
                + ", pigz -6 " + Measure.list(pigzTimes) + " (" + runs + " runs, median)");
    }
}

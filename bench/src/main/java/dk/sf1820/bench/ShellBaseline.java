package dk.sf1820.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The naive shell delivery of comparison 6: {@code zip -6}, then one OpenSSH {@code sftp -b} session
 * that puts the data file and a trigger, to the emulator. The trigger goes up under a name the
 * platform's scan ignores ({@code .trig}): same bytes on the wire, but no receipt for a transfer
 * nobody tracks. Appends each run's seconds to the results' {@code .baseline} file for {@link Summary}.
 * {@code ShellBaseline <csv> <work dir> <results> <runs> <private key> <port> <known_hosts> <user home>}
 */
public final class ShellBaseline {

    public static void main(String[] args) throws Exception {
        Path csv = Path.of(args[0]).toAbsolutePath();
        Path work = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
        Report report = new Report(Path.of(args[2]));
        int runs = Integer.parseInt(args[3]);
        Path out = Path.of(args[7]).resolve("OUT");
        Path zip = work.resolve("KSD_DST_0561_M03_20260401003000.zip");
        Path trigger = Files.writeString(work.resolve("baseline.trig"), "<Trigger/>\n");
        Path batch = Files.writeString(
                work.resolve("baseline-batch"),
                String.join(
                        "\n", "put " + zip + " OUT/" + zip.getFileName(), "put " + trigger + " OUT/baseline.trig", ""));
        for (int i = 0; i < runs; i++) {
            Files.deleteIfExists(zip);
            double seconds = Measure.seconds(() -> {
                Measure.exec(work, "zip", "-6", "-q", "-j", zip.toString(), csv.toString());
                OpenSshSftp.runBatch(
                        work, batch, args[4], Integer.parseInt(args[5]), args[6], UploadBench.USER, "127.0.0.1");
            });
            Files.writeString(
                    report.sibling("baseline"),
                    Measure.fmt(seconds) + System.lineSeparator(),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            for (Path remote : List.of(out.resolve(zip.getFileName().toString()), out.resolve("baseline.trig"))) {
                Files.deleteIfExists(remote);
            }
        }
        Files.deleteIfExists(zip);
    }
}

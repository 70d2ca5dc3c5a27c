package dk.sf1820.bench;

import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpConnection;
import dk.sf1820.sftp.SftpConnector;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Comparisons 1 and 2: the same file uploaded by the transporter's SFTP client (JSch through
 * {@link SftpConnector}, host key verified) and by OpenSSH {@code sftp -b}, to the Serviceplatform
 * emulator (MINA SSHD, {@link EmulatorServer} in a JVM of its own) and to OpenSSH {@code sshd}
 * (.ci/setup-sshd.sh); the four uploads of a run are interleaved. Each time includes the login, as a
 * delivery's does.
 * {@code UploadBench <file> <work dir> <results file> <runs> <sshd-test.properties> <emulator port>
 * <emulator known_hosts> <emulator user home>}
 */
public final class UploadBench {

    static final String USER = "KSD_SFTPSIMPEL";

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]).toAbsolutePath();
        Path work = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
        Report report = new Report(Path.of(args[2]));
        int runs = Integer.parseInt(args[3]);
        Properties sshd = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[4]))) {
            sshd.load(in);
        }
        Path key = Path.of(sshd.getProperty("privateKey"));
        SftpAccount sshdAccount = new SftpAccount(
                sshd.getProperty("user"),
                sshd.getProperty("host"),
                Integer.parseInt(sshd.getProperty("port")),
                key,
                null,
                Path.of(sshd.getProperty("knownHosts")));
        Path sshdOut = Path.of(sshd.getProperty("root")).resolve("OUT");

        try (SftpConnector connector = new SftpConnector(Duration.ofSeconds(30))) {
            SftpAccount emulatorAccount =
                    new SftpAccount(USER, "127.0.0.1", Integer.parseInt(args[5]), key, null, Path.of(args[6]));
            Path emulatorOut = Path.of(args[7]).resolve("OUT");

            List<Double> jschEmulator = new ArrayList<>();
            List<Double> sftpEmulator = new ArrayList<>();
            List<Double> jschSshd = new ArrayList<>();
            List<Double> sftpSshd = new ArrayList<>();
            // Warm-up, not measured: a server runs for months, so its JIT has compiled the hot paths; so has
            // the transporter's, but only after a few transfers: JSch's write loop (ChannelSftp._put) runs once
            // per upload, so C2 compiles it whole only after several uploads (seen in -Xlog:jit+compilation);
            // until then each upload starts it interpreted. With one warm-up the first two measured JSch uploads
            // were 1.5–2.5× slower than the later ones.
            for (int i = 0; i < Integer.getInteger("bench.upload.warmups", 3); i++) {
                openssh(file, emulatorAccount, work, emulatorOut);
                jsch(connector, file, emulatorAccount, emulatorOut);
            }
            for (int i = 0; i < runs; i++) {
                sftpEmulator.add(openssh(file, emulatorAccount, work, emulatorOut));
                jschEmulator.add(jsch(connector, file, emulatorAccount, emulatorOut));
                sftpSshd.add(openssh(file, sshdAccount, work, sshdOut));
                jschSshd.add(jsch(connector, file, sshdAccount, sshdOut));
            }
            double mib = Files.size(file) / 1048576.0;
            String size = Sizes.mib(Files.size(file));
            ratio(
                    report,
                    "upload " + size + " to the emulator: transporter (JSch) vs OpenSSH `sftp`",
                    mib,
                    jschEmulator,
                    sftpEmulator,
                    1.1,
                    true);
            ratio(
                    report,
                    "upload " + size + " to OpenSSH sshd: transporter (JSch) vs OpenSSH `sftp`",
                    mib,
                    jschSshd,
                    sftpSshd,
                    1.1,
                    true);
            ratio(
                    report,
                    "server, OpenSSH `sftp` client: emulator (MINA) vs OpenSSH sshd",
                    mib,
                    sftpEmulator,
                    sftpSshd,
                    0.8,
                    false);
            report.note(
                    "upload seconds per run (" + runs + " runs, median): JSch→emulator " + Measure.list(jschEmulator)
                            + ", sftp→emulator " + Measure.list(sftpEmulator) + ", JSch→sshd " + Measure.list(jschSshd)
                            + ", sftp→sshd " + Measure.list(sftpSshd));
        }
    }

    /**
     * Throughput with the runs' spread, and the ratio of each run's pair (uploaded one right after the
     * other); with {@code everyRun} the target holds only if the worst run's pair meets it.
     */
    private static void ratio(
            Report report,
            String comparison,
            double mib,
            List<Double> ours,
            List<Double> baseline,
            double target,
            boolean everyRun)
            throws Exception {
        List<Double> ratios = Measure.perRun(baseline, ours);
        double judged = everyRun ? Measure.min(ratios) : Measure.median(ratios);
        report.row(
                comparison,
                throughput(mib, ours),
                throughput(mib, baseline),
                Measure.ratioAndSpread(ratios),
                String.format(Locale.ROOT, "≥ %.2f×%s", target, everyRun ? " every run" : ""),
                judged >= target ? "yes" : "no");
    }

    /** MiB/s of the median time, with the runs' spread (slowest–fastest). */
    private static String throughput(double mib, List<Double> seconds) {
        String median = Measure.fmt(mib / Measure.median(seconds)) + " MiB/s";
        return seconds.size() < 2
                ? median
                : median + " (" + Measure.fmt(mib / Measure.max(seconds)) + "–"
                        + Measure.fmt(mib / Measure.min(seconds)) + ")";
    }

    private static double jsch(SftpConnector connector, Path file, SftpAccount account, Path out) throws Exception {
        double seconds = Measure.seconds(() -> {
            try (SftpConnection connection = connector.open(account);
                    InputStream in = Files.newInputStream(file)) {
                connection.upload(in, "OUT/bench-jsch.bin");
            }
        });
        Files.delete(out.resolve("bench-jsch.bin"));
        return seconds;
    }

    private static double openssh(Path file, SftpAccount account, Path work, Path out) throws Exception {
        Path batch = Files.writeString(work.resolve("sftp-batch"), "put " + file + " OUT/bench-openssh.bin\n");
        double seconds = Measure.seconds(() -> OpenSshSftp.runBatch(
                work,
                batch,
                account.privateKey().toString(),
                account.port(),
                account.knownHosts().toString(),
                account.user(),
                account.host()));
        Files.delete(out.resolve("bench-openssh.bin"));
        return seconds;
    }
}

package dk.sf1820.transporter;

import dk.sf1820.schemas.avro.PackageReady;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Staged zips and the PackageReady events that announce them, as the packager would make them. */
final class Packages {

    static final String KSD_SENDER = "KSD_SFTPSIMPEL";
    static final String DST = "DST-CEMOS-SFTPUsername";

    private Packages() {}

    /**
     * A real zip with one semicolon-delimited entry of some rows, where the packager puts a new
     * transfer's package: {@code <staging>/packages/<transferId>/<fileName>}.
     */
    static Path stageZip(Path staging, String fileName, int rows) throws IOException {
        Path zip = packagePath(staging, UUID.randomUUID().toString(), fileName);
        try (OutputStream out = Files.newOutputStream(zip);
                ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("extract.csv"));
            for (int i = 0; i < rows; i++) {
                z.write(("0561;M03;" + i + ";" + UUID.randomUUID() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            z.closeEntry();
        }
        return zip;
    }

    /** Where the packager writes a transfer's package, its directory created. */
    static Path packagePath(Path staging, String transferId, String fileName) throws IOException {
        return Files.createDirectories(staging.resolve("packages").resolve(transferId))
                .resolve(fileName);
    }

    /** The event announcing a package staged by {@link #stageZip}: its transferId is the package's directory. */
    static PackageReady packageReady(Path zip, String sender, String fagsystem) throws IOException {
        return PackageReady.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setTransferId(zip.getParent().getFileName().toString())
                .setFagsystem(fagsystem)
                .setAuthority("0561")
                .setPeriod("M03")
                .setOccurredAt(Instant.now())
                .setPackageRef(zip.toUri().toString())
                .setFileName(zip.getFileName().toString())
                .setSizeBytes(Files.size(zip))
                .setSha256(sha256(zip))
                .setSender(sender)
                .setRecipients(List.of(DST))
                .setContentType("SF1820_" + fagsystem)
                .build();
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A unique SF1820 file name of the fagsystem for authority 0561 and period M03, as the packager names them
     * (the transporter checks the name), so tests sharing one emulator never meet: each gets its own second,
     * from a random start in 2026.
     */
    static String fileName(String fagsystem) {
        LocalDateTime stamp = START.plusSeconds(NEXT.getAndIncrement());
        return fagsystem + "_DST_0561_M03_" + STAMP.format(stamp) + ".zip";
    }

    private static final LocalDateTime START =
            LocalDateTime.of(2026, 1, 1, 0, 0).plusSeconds(new SecureRandom().nextInt(300 * 24 * 3600));
    private static final AtomicLong NEXT = new AtomicLong();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
}

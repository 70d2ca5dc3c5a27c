package dk.sf1820.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Deterministic, realistic extract data: semicolon-delimited rows as a fagsystem exports them (CPR-like
 * id, municipality, case number, dates, amounts, a status word, a free-text note), from a fixed seed,
 * so every run and every machine compresses the same bytes. Generated at run time, never committed.
 */
final class ExtractCsv {

    private static final String[] STATUS = {"aktiv", "afsluttet", "bevilget", "afslag", "under behandling"};
    private static final String[] YDELSE = {
        "sygedagpenge",
        "kontanthjælp",
        "ledighedsydelse",
        "jobafklaring",
        "ressourceforløb",
        "revalidering",
        "fleksløntilskud"
    };
    private static final String[] NOTE = {
        "",
        "",
        "",
        "genoptaget efter partshøring",
        "ny lægeerklæring modtaget",
        "opfølgningssamtale afholdt",
        "sag overflyttet fra anden kommune",
        "afventer dokumentation"
    };

    private ExtractCsv() {}

    /** Writes exactly {@code size} bytes of rows (the last row cut at the size) from {@code seed}. */
    static Path write(Path file, long size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        long written = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            byte[] header =
                    "cpr;kommune;sagsnr;ydelse;fra;til;dage;beloeb;status;note\n".getBytes(StandardCharsets.UTF_8);
            out.write(header, 0, (int) Math.min(header.length, size));
            written += Math.min(header.length, size);
            StringBuilder row = new StringBuilder(160);
            while (written < size) {
                row.setLength(0);
                int day = 1 + random.nextInt(28);
                int month = 1 + random.nextInt(12);
                row.append(String.format("%02d%02d%02d%04d", day, month, random.nextInt(100), random.nextInt(10_000)))
                        .append(';')
                        .append(101 + random.nextInt(760))
                        .append(';')
                        .append("S-")
                        .append(2020 + random.nextInt(6))
                        .append('-')
                        .append(100_000 + random.nextInt(900_000))
                        .append(';')
                        .append(YDELSE[random.nextInt(YDELSE.length)])
                        .append(';')
                        .append(2025)
                        .append('-')
                        .append(month < 10 ? "0" : "")
                        .append(month)
                        .append('-')
                        .append(day < 10 ? "0" : "")
                        .append(day)
                        .append(';')
                        .append(2026)
                        .append('-')
                        .append(month < 10 ? "0" : "")
                        .append(month)
                        .append("-28")
                        .append(';')
                        .append(random.nextInt(366))
                        .append(';')
                        .append(random.nextInt(400_000))
                        .append(',')
                        .append(random.nextInt(100))
                        .append(';')
                        .append(STATUS[random.nextInt(STATUS.length)])
                        .append(';')
                        .append(NOTE[random.nextInt(NOTE.length)])
                        .append('\n');
                byte[] bytes = row.toString().getBytes(StandardCharsets.UTF_8);
                int n = (int) Math.min(bytes.length, size - written);
                out.write(bytes, 0, n);
                written += n;
            }
        }
        return file;
    }

    /** {@code ExtractCsv <file> <size, e.g. 1g, 512m> [seed]} */
    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]), Sizes.parse(args[1]), args.length > 2 ? Long.parseLong(args[2]) : 1820);
    }
}

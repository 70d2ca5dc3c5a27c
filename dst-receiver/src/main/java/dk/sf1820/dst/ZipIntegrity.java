package dk.sf1820.dst;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Whether a fetched data file is a whole zip: the central directory opens and every entry inflates
 * to the size and CRC-32 the directory records. {@link ZipFile} checks neither by itself, so every
 * entry is read to the end here.
 */
final class ZipIntegrity {

    private ZipIntegrity() {}

    /** What is wrong with the zip, or empty if it is whole; the caller names the file. */
    static Optional<String> problem(Path zip) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            if (file.size() == 0) {
                return Optional.of("zip holds no entries");
            }
            byte[] buffer = new byte[64 * 1024];
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                CRC32 crc = new CRC32();
                long size = 0;
                try (InputStream in = file.getInputStream(entry)) {
                    for (int n; (n = in.read(buffer)) != -1; ) {
                        crc.update(buffer, 0, n);
                        size += n;
                    }
                }
                if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
                    return Optional.of(
                            "zip entry " + entry.getName() + " has CRC-32 " + Long.toHexString(crc.getValue())
                                    + ", the zip records " + Long.toHexString(entry.getCrc()));
                }
                if (entry.getSize() != -1 && size != entry.getSize()) {
                    return Optional.of("zip entry " + entry.getName() + " inflates to " + size
                            + " bytes, the zip records " + entry.getSize());
                }
            }
            return Optional.empty();
        } catch (ZipException | EOFException e) {
            return Optional.of("not a readable zip: " + e.getMessage());
        }
    }
}

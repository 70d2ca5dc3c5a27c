package dk.sf1820.packager;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;

/**
 * Writes the container of a zip with one DEFLATED entry around Deflate data written by someone else
 * (APPNOTE.TXT 6.3): local header, the data, data descriptor, central directory, end record.
 * {@link java.util.zip.ZipOutputStream} cannot take data it did not compress itself.
 *
 * <p>The sizes and CRC are unknown when the local header is written (the data is streamed, never
 * seeked back over, so the zip's SHA-256 can be computed while writing), so the header says so (flag
 * bit 3) and the data descriptor after the data carries them. ZIP64 is used exactly as
 * {@code ZipOutputStream} uses it, because that is what streaming readers expect: 8-byte sizes in the
 * descriptor only when a size reaches 4 GiB, ZIP64 central directory and end records when a size or
 * offset does, and never a ZIP64 field in the local header (streaming readers such as
 * {@code ZipInputStream} pick the descriptor's width from the sizes they counted, not from that field).
 */
final class SingleEntryZipWriter {

    /** Above this a 4-byte size or offset field cannot hold the value. */
    static final long ZIP32_LIMIT = 0xFFFFFFFFL;

    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int DATA_DESCRIPTOR = 0x08074b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int ZIP64_END = 0x06064b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int END = 0x06054b50;
    private static final short ZIP64_EXTRA = 0x0001;
    private static final int DEFLATED = 8;
    /** Bit 3: sizes and CRC follow the data; bit 11: the name is UTF-8 (file names may hold æ, ø, å). */
    private static final int FLAGS = 1 << 3 | 1 << 11;

    private static final int VERSION_DEFLATE = 20;
    private static final int VERSION_ZIP64 = 45;

    private final byte[] name;
    private final int dosTime;
    private final long zip64Threshold;

    /**
     * @param entryName the entry's name
     * @param entryTime the entry's local time, stored in the DOS time fields (two-second precision)
     */
    SingleEntryZipWriter(String entryName, LocalDateTime entryTime) {
        this(entryName, entryTime, ZIP32_LIMIT);
    }

    /** With a lower threshold than 4 GiB, tests can read the ZIP64 records without writing 4 GiB. */
    SingleEntryZipWriter(String entryName, LocalDateTime entryTime, long zip64Threshold) {
        this.name = entryName.getBytes(StandardCharsets.UTF_8);
        if (name.length > 0xFFFF) {
            throw new IllegalArgumentException("zip entry name is longer than 65535 bytes: " + entryName);
        }
        this.dosTime = dosTime(entryTime);
        this.zip64Threshold = zip64Threshold;
    }

    /** The local header, at offset 0; the Deflate data follows it. CRC and sizes are zero: see bit 3. */
    byte[] localHeader() {
        ByteBuffer b = buffer(30 + name.length);
        b.putInt(LOCAL_HEADER)
                .putShort((short) VERSION_DEFLATE)
                .putShort((short) FLAGS)
                .putShort((short) DEFLATED)
                .putInt(dosTime)
                .putInt(0)
                .putInt(0)
                .putInt(0)
                .putShort((short) name.length)
                .putShort((short) 0)
                .put(name);
        return b.array();
    }

    /**
     * Everything after the Deflate data: descriptor, central directory, end records.
     *
     * @param crc32 CRC-32 of the uncompressed data
     * @param size uncompressed size
     * @param compressedSize size of the Deflate data
     */
    byte[] trailer(long crc32, long size, long compressedSize) {
        long dataOffset = 30 + name.length;
        boolean largeEntry = size >= zip64Threshold || compressedSize >= zip64Threshold;
        int descriptorLength = largeEntry ? 24 : 16;
        long centralOffset = dataOffset + compressedSize + descriptorLength;
        boolean zip64 = largeEntry || centralOffset >= zip64Threshold;
        int centralLength = 46 + name.length + (zip64 ? 28 : 0);
        ByteBuffer b = buffer(descriptorLength + centralLength + (zip64 ? 56 + 20 : 0) + 22);

        b.putInt(DATA_DESCRIPTOR).putInt((int) crc32);
        if (largeEntry) {
            b.putLong(compressedSize).putLong(size);
        } else {
            b.putInt((int) compressedSize).putInt((int) size);
        }

        // Made by: MS-DOS attributes (host 0), as ZipOutputStream writes, so no Unix mode bits are implied.
        short version = (short) (zip64 ? VERSION_ZIP64 : VERSION_DEFLATE);
        b.putInt(CENTRAL_HEADER)
                .putShort(version)
                .putShort(version)
                .putShort((short) FLAGS)
                .putShort((short) DEFLATED)
                .putInt(dosTime)
                .putInt((int) crc32);
        if (zip64) {
            b.putInt((int) ZIP32_LIMIT).putInt((int) ZIP32_LIMIT);
        } else {
            b.putInt((int) compressedSize).putInt((int) size);
        }
        b.putShort((short) name.length)
                .putShort((short) (zip64 ? 28 : 0))
                .putShort((short) 0) // comment
                .putShort((short) 0)
                .putShort((short) 0)
                .putInt(0) // disk, internal and external attributes
                .putInt(zip64 ? (int) ZIP32_LIMIT : 0)
                .put(name); // the local header is at offset 0
        if (zip64) {
            b.putShort(ZIP64_EXTRA)
                    .putShort((short) 24)
                    .putLong(size)
                    .putLong(compressedSize)
                    .putLong(0);
        }

        long endOffset = centralOffset + centralLength;
        if (zip64) {
            b.putInt(ZIP64_END)
                    .putLong(44)
                    .putShort((short) VERSION_ZIP64)
                    .putShort((short) VERSION_ZIP64)
                    .putInt(0)
                    .putInt(0)
                    .putLong(1)
                    .putLong(1)
                    .putLong(centralLength)
                    .putLong(centralOffset);
            b.putInt(ZIP64_LOCATOR).putInt(0).putLong(endOffset).putInt(1);
        }
        b.putInt(END)
                .putShort((short) 0)
                .putShort((short) 0)
                .putShort((short) 1)
                .putShort((short) 1)
                .putInt(centralLength)
                .putInt(zip64 ? (int) ZIP32_LIMIT : (int) centralOffset)
                .putShort((short) 0);
        return b.array();
    }

    private static ByteBuffer buffer(int length) {
        return ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** MS-DOS date and time; the format covers 1980 to 2107, so times outside are clamped to its ends. */
    static int dosTime(LocalDateTime time) {
        if (time.getYear() < 1980) {
            return (1 << 21) | (1 << 16);
        }
        if (time.getYear() > 2107) {
            return (127 << 25) | (12 << 21) | (31 << 16) | (23 << 11) | (59 << 5) | (59 >> 1);
        }
        return (time.getYear() - 1980) << 25
                | time.getMonthValue() << 21
                | time.getDayOfMonth() << 16
                | time.getHour() << 11
                | time.getMinute() << 5
                | time.getSecond() >> 1;
    }
}

package dk.sf1820.dst;

import dk.sf1820.schemas.sftp.FileTypes;
import dk.sf1820.schemas.xml.FileMetadataType;
import dk.sf1820.testsupport.Triggers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Zips and metadata as a sender and the platform would make them. */
final class Deliveries {

    static final String KSD = "KSD_SFTPSIMPEL";
    static final String DST = "DST-CEMOS-SFTPUsername";

    private Deliveries() {}

    static byte[] zip(int rows) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("extract.csv"));
            for (int i = 0; i < rows; i++) {
                zip.write(("0561;M03;" + i + ";" + UUID.randomUUID() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    static FileMetadataType metadata(String fileName, long size, String sender, List<String> recipients) {
        FileMetadataType metadata = new FileMetadataType();
        metadata.setFileTransferUUID(UUID.randomUUID().toString());
        metadata.setFileDescriptor(
                Triggers.descriptor(fileName, size, sender, UUID.randomUUID().toString(), recipients));
        metadata.setFileContentDescriptor(FileTypes.descriptor("SF1820_KSD"));
        return metadata;
    }

    static String fileName() {
        return "KSD_DST_0561_M03_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 14) + ".zip";
    }
}

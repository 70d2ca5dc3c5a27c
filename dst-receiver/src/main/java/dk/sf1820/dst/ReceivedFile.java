package dk.sf1820.dst;

import java.nio.file.Path;

/**
 * A data file fetched, checked (size, zip, every entry's CRC) and stored; it is gone from IN.
 *
 * @param fileName the data file's name
 * @param sender the sender's SFTP user
 * @param fileTransferUUID the platform's id of the transfer
 * @param sendersFileId the sender's id, the pipeline's transferId
 * @param fileType the file type from the metadata, e.g. {@code SF1820_KSD}, or null if it named none
 * @param sizeBytes the file's size
 * @param storedAt where it is kept
 */
public record ReceivedFile(
        String fileName,
        String sender,
        String fileTransferUUID,
        String sendersFileId,
        String fileType,
        long sizeBytes,
        Path storedAt)
        implements FetchResult {}

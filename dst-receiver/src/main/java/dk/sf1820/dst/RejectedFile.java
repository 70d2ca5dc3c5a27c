package dk.sf1820.dst;

import java.nio.file.Path;

/**
 * A delivered file that failed a check. It is kept aside with its metadata and a reason file, never
 * deleted, and removed from IN so it is not fetched again.
 *
 * @param fileName the data file's name as delivered
 * @param sender the sender the metadata names, or null if the metadata could not be read
 * @param fileTransferUUID the platform's id, or null if unknown
 * @param sendersFileId the sender's id (transferId), or null if unknown
 * @param reason which check failed, naming the file, the field and the rule
 * @param keptAt the rejected data file; absent on disk if the platform delivered none
 */
public record RejectedFile(
        String fileName, String sender, String fileTransferUUID, String sendersFileId, String reason, Path keptAt)
        implements FetchResult {}

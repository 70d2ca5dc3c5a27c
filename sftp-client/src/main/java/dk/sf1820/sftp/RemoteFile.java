package dk.sf1820.sftp;

import java.time.Instant;

/**
 * A regular file in a remote directory, as listed.
 *
 * @param name the file's name, without its directory
 * @param size bytes
 * @param modifiedAt last modification as the server reports it (whole seconds); the platform deletes
 *        files left unmodified for 30 days, so senders measure age by this
 */
public record RemoteFile(String name, long size, Instant modifiedAt) {}

package dk.sf1820.serviceplatform.sftp;

import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;

/**
 * Knows which files an SFTP session holds open for writing, so that the trigger scan leaves a trigger
 * or data file that is still being uploaded for the next scan instead of routing half a file.
 *
 * <p>A handle counts from the moment the server starts opening it, before the file is created, so a
 * scan can never see a new, still empty file without also seeing that it is being written; it counts
 * until the handle is closed, or until its session ends without closing it (a dropped connection).
 */
public final class UploadsInProgress implements SftpEventListener {

    private static final Set<StandardOpenOption> WRITING = Set.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND);

    private final Map<Handle, Path> openForWriting = new ConcurrentHashMap<>();

    public boolean isBeingWritten(Path file) {
        Path target = file.toAbsolutePath().normalize();
        return openForWriting.containsValue(target);
    }

    @Override
    public void opening(ServerSession session, String remoteHandle, Handle localHandle) {
        if (localHandle instanceof FileHandle file
                && file.getOpenOptions().stream().anyMatch(WRITING::contains)) {
            openForWriting.put(localHandle, SessionPaths.onDisk(localHandle.getFile()));
        }
    }

    @Override
    public void openFailed(
            ServerSession session, String remotePath, Path localPath, boolean isDirectory, Throwable thrown) {
        // a handle that failed to open never got a channel, and will never be closed
        Path failed = SessionPaths.onDisk(localPath);
        openForWriting
                .entrySet()
                .removeIf(e -> e.getValue().equals(failed)
                        && e.getKey() instanceof FileHandle file
                        && file.getFileChannel() == null);
    }

    @Override
    public void closed(ServerSession session, String remoteHandle, Handle localHandle, Throwable thrown) {
        openForWriting.remove(localHandle);
    }

    @Override
    public void exiting(ServerSession session, Handle handle) {
        openForWriting.remove(handle);
    }
}

package dk.sf1820.serviceplatform.sftp;

import dk.sf1820.schemas.registry.DataFileName;
import java.io.IOException;
import java.nio.file.CopyOption;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Set;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses to overwrite a trigger that still waits in {@code OUT} for the scan: SF1820 section 2 says a
 * new transfer with the same trigger name fails until the old trigger is processed. The sender sees
 * the refusal as a failed upload or rename (SSH_FX_FILE_ALREADY_EXISTS), not as a receipt, because
 * the platform never gets to read the second trigger.
 */
public final class PendingTriggerProtection implements SftpEventListener {

    private static final Logger log = LoggerFactory.getLogger(PendingTriggerProtection.class);
    private static final Set<StandardOpenOption> CHANGING =
            Set.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND, StandardOpenOption.TRUNCATE_EXISTING);

    @Override
    public void opening(ServerSession session, String remoteHandle, Handle localHandle) throws IOException {
        // reading a pending trigger back (a sender checking its upload) stays allowed
        if (localHandle instanceof FileHandle file
                && file.getOpenOptions().stream().anyMatch(CHANGING::contains)) {
            refuseIfPendingTrigger(session, localHandle.getFile());
        }
    }

    @Override
    public void moving(ServerSession session, Path source, Path target, Collection<CopyOption> opts)
            throws IOException {
        refuseIfPendingTrigger(session, target);
    }

    private static void refuseIfPendingTrigger(ServerSession session, Path sessionPath) throws IOException {
        Path onDisk = SessionPaths.onDisk(sessionPath);
        if (isTriggerInOut(onDisk) && Files.exists(onDisk, LinkOption.NOFOLLOW_LINKS)) {
            log.warn(
                    "Refused to overwrite a pending trigger user={} trigger={}",
                    session.getUsername(),
                    onDisk.getFileName());
            throw new FileAlreadyExistsException(
                    sessionPath.toString(),
                    null,
                    "a trigger of that name still waits for the platform's scan; use a unique trigger name");
        }
    }

    private static boolean isTriggerInOut(Path file) {
        Path parent = file.getParent();
        return file.getFileName() != null
                && file.getFileName().toString().endsWith(DataFileName.TRIGGER_SUFFIX)
                && parent != null
                && parent.getFileName() != null
                && parent.getFileName().toString().equals(PlatformUsers.OUT);
    }
}

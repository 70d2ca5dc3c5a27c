package dk.sf1820.serviceplatform.sftp;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.CopyOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.SftpEventListener;

/**
 * Keeps every home's {@code IN} and {@code OUT} in place: a user may not remove or rename them, since
 * the platform routes into them and scans them, and a missing {@code IN} would lose receipts.
 */
public final class HomeLayoutProtection implements SftpEventListener {

    private static final Set<String> FIXED = Set.of("/" + PlatformUsers.IN, "/" + PlatformUsers.OUT);

    @Override
    public void removing(ServerSession session, Path path, boolean isDirectory) throws IOException {
        refuseIfFixed(path, "removed");
    }

    @Override
    public void moving(ServerSession session, Path source, Path target, Collection<CopyOption> opts)
            throws IOException {
        refuseIfFixed(source, "renamed");
        refuseIfFixed(target, "replaced");
    }

    private static void refuseIfFixed(Path sessionPath, String what) throws AccessDeniedException {
        if (FIXED.contains(sessionPath.toAbsolutePath().normalize().toString())) {
            throw new AccessDeniedException(
                    sessionPath.toString(), null, "the platform's IN and OUT folders cannot be " + what);
        }
    }
}

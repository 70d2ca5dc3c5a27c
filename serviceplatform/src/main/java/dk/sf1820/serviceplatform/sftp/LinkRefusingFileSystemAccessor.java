package dk.sf1820.serviceplatform.sftp;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;

/**
 * Refuses to create links. Platform users only upload, download, rename and delete files; a symbolic
 * or hard link is one more way a path could point outside the user's home, so none may be made.
 */
public final class LinkRefusingFileSystemAccessor implements SftpFileSystemAccessor {

    @Override
    public void createLink(SftpSubsystemProxy subsystem, Path link, Path existing, boolean symLink) throws IOException {
        throw new AccessDeniedException(link.toString(), null, "links are not allowed on the platform");
    }
}

package dk.sf1820.serviceplatform.sftp;

import java.nio.file.Path;
import org.apache.sshd.common.file.root.RootedFileSystem;

/** Maps the paths an SFTP session sees ({@code /OUT/x}, rooted in the user's home) to paths on disk. */
final class SessionPaths {

    private SessionPaths() {}

    static Path onDisk(Path sessionPath) {
        if (sessionPath.getFileSystem() instanceof RootedFileSystem rooted) {
            String inside = sessionPath.toAbsolutePath().normalize().toString();
            Path relative = Path.of(inside.startsWith("/") ? inside.substring(1) : inside);
            return rooted.getRoot()
                    .resolve(relative.toString())
                    .toAbsolutePath()
                    .normalize();
        }
        return sessionPath.toAbsolutePath().normalize();
    }
}

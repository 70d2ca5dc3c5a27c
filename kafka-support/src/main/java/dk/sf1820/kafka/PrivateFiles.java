package dk.sf1820.kafka;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The staging area holds personal data (CPR numbers, sickness and child-welfare data): every folder a
 * stage creates there is {@code 0700} and every file {@code 0600}, for the service's own user only,
 * whatever the umask, where the file system has POSIX permissions (elsewhere the folder's ACLs decide).
 */
public final class PrivateFiles {

    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {}

    /** {@link Files#createDirectories}, with each folder it creates {@code 0700}; existing ones are left as they are. */
    public static Path createDirectories(Path dir) throws IOException {
        if (!posix(dir.getFileSystem())) {
            return Files.createDirectories(dir);
        }
        FileAttribute<Set<PosixFilePermission>> owner = PosixFilePermissions.asFileAttribute(FOLDER);
        // The umask can only take bits away from 0700.
        return Files.createDirectories(dir, owner);
    }

    /** Makes a file this stage wrote (or linked into the staging area) readable by its owner only. */
    public static void restrict(Path file) throws IOException {
        if (posix(file.getFileSystem()) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }

    private static boolean posix(FileSystem fileSystem) {
        return fileSystem.supportedFileAttributeViews().contains("posix");
    }
}

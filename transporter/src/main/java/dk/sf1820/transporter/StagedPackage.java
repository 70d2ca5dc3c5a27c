package dk.sf1820.transporter;

import dk.sf1820.kafka.NonRetryableEventException;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.registry.DataFileName;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The zip a {@link PackageReady} refers to, checked before anything is sent: a package that is not
 * there, or not the size the packager announced, must not reach the platform, and no retry can fix it.
 *
 * @param path the zip in the staging area
 * @param size its size in bytes, equal to the event's
 */
record StagedPackage(Path path, long size) {

    static StagedPackage of(PackageReady event) {
        String fileName = event.getFileName();
        DataFileName.violation(fileName).ifPresent(violation -> {
            throw new NonRetryableEventException("PackageReady transferId=" + event.getTransferId()
                    + " has an unusable fileName: " + violation);
        });
        Path path = resolve(event);
        long actual;
        try {
            if (!Files.isRegularFile(path)) {
                throw new NonRetryableEventException("PackageReady transferId=" + event.getTransferId()
                        + ": package " + path + " does not exist (packageRef " + event.getPackageRef() + ")");
            }
            actual = Files.size(path);
        } catch (IOException e) {
            throw new NonRetryableEventException("PackageReady transferId=" + event.getTransferId()
                    + ": cannot read package " + path + ": " + e.getMessage(), e);
        }
        if (actual != event.getSizeBytes()) {
            throw new NonRetryableEventException("PackageReady transferId=" + event.getTransferId()
                    + ": package " + path + " has " + actual + " bytes but the event says sizeBytes="
                    + event.getSizeBytes() + "; it was changed or truncated after packaging");
        }
        return new StagedPackage(path, actual);
    }

    private static Path resolve(PackageReady event) {
        try {
            return Path.of(URI.create(event.getPackageRef()));
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new NonRetryableEventException("PackageReady transferId=" + event.getTransferId()
                    + ": packageRef '" + event.getPackageRef() + "' is not a file: URI of the staging area", e);
        }
    }
}

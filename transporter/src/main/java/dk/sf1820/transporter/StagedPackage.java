package dk.sf1820.transporter;

import dk.sf1820.kafka.NonRetryableEventException;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.registry.DataFileName;
import dk.sf1820.schemas.registry.ExtractRefusedException;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.schemas.registry.Period;
import dk.sf1820.schemas.sftp.SendersFileId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The zip a {@link PackageReady} refers to, checked before anything is sent. The event is input like
 * any other: its packageRef must resolve (links followed) to exactly
 * {@code <staging>/packages/<transferId>/<fileName>}, where the packager writes this transfer's zip, a
 * regular file of the announced size. Anything else (a file elsewhere, a link out of the staging area,
 * a linked directory, another transfer's package) is never sent, and no retry can fix it. The
 * content's SHA-256 is checked while it is uploaded, so the package is read once.
 *
 * @param path the zip in the staging area, all links resolved
 * @param size its size in bytes, equal to the event's
 * @param sha256 the event's SHA-256 of it, lower-case hex
 */
record StagedPackage(Path path, long size, String sha256) {

    static final String PACKAGES = "packages";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    static StagedPackage of(PackageReady event, Path stagingDir, FagsystemRegistry registry) {
        String fileName = event.getFileName();
        DataFileName.ownNameViolation(fileName).ifPresent(violation -> {
            throw refused(event, "has an unusable fileName: " + violation);
        });
        requireOwnSenderAndName(event, registry);
        if (!SendersFileId.isWellFormed(event.getTransferId())) {
            throw refused(event, "transferId is not a lower-case UUID, so it names no package directory");
        }
        if (!SHA256.matcher(event.getSha256()).matches()) {
            throw refused(event, "sha256 '" + event.getSha256() + "' is not 64 hex digits");
        }
        Path expected = root(stagingDir)
                .resolve(PACKAGES)
                .resolve(event.getTransferId())
                .resolve(fileName);
        Path ref = resolve(event);
        Path real;
        try {
            real = ref.toRealPath();
        } catch (NoSuchFileException e) {
            throw refused(event, "package " + ref + " does not exist (packageRef " + event.getPackageRef() + ")");
        } catch (IOException e) {
            throw refused(event, "cannot read package " + ref + ": " + e.getMessage());
        }
        if (!real.equals(expected)) {
            throw refused(
                    event,
                    "packageRef " + event.getPackageRef() + " (resolved " + real + ") is not this "
                            + "transfer's package " + expected + " in the staging area; it is not sent");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw refused(event, "package " + real + " is not a regular file");
        }
        long actual;
        try {
            actual = Files.size(real);
        } catch (IOException e) {
            throw refused(event, "cannot read package " + real + ": " + e.getMessage());
        }
        if (actual != event.getSizeBytes()) {
            throw refused(
                    event,
                    "package " + real + " has " + actual + " bytes but the event says sizeBytes=" + event.getSizeBytes()
                            + "; it was changed or truncated after packaging");
        }
        return new StagedPackage(real, actual, event.getSha256().toLowerCase(Locale.ROOT));
    }

    /**
     * The account and the name the package goes to DST with must be its fagsystem's and tell its authority and
     * period, as the packager made them: an event that names another sender (or another municipality) for a
     * real package would send one fagsystem's data through another's account, or under another's name.
     */
    private static void requireOwnSenderAndName(PackageReady event, FagsystemRegistry registry) {
        Fagsystem fagsystem;
        Period period;
        try {
            fagsystem = registry.requireExtract(event.getFagsystem());
            period = Period.parse(event.getPeriod());
        } catch (ExtractRefusedException e) {
            throw refused(event, e.getMessage());
        }
        if (!fagsystem.sftpUser().equals(event.getSender())) {
            throw refused(
                    event,
                    "sender '" + event.getSender() + "' is not fagsystem " + fagsystem.code() + "'s SFTP user "
                            + fagsystem.sftpUser() + "; a package is sent with its own fagsystem's account only");
        }
        String named = DataFileName.parse(fagsystem, event.getFileName())
                .map(parsed -> DataFileName.of(fagsystem, event.getAuthority(), period, parsed.createdAt()))
                .orElse(null);
        if (!event.getFileName().equals(named)) {
            throw refused(
                    event,
                    "fileName " + event.getFileName() + " is not fagsystem " + fagsystem.code()
                            + "'s name for authority "
                            + event.getAuthority() + " and period " + event.getPeriod() + " ("
                            + fagsystem.fileNamePattern() + ")");
        }
    }

    /** The package's bytes; a link put in its place since it was checked is not followed. */
    InputStream open() throws IOException {
        return Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS);
    }

    /** A missing staging area is an unmounted volume, not a bad event: that one is retried. */
    private static Path root(Path stagingDir) {
        try {
            return stagingDir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot resolve the staging directory " + stagingDir + ": " + e.getMessage(), e);
        }
    }

    private static Path resolve(PackageReady event) {
        try {
            return Path.of(URI.create(event.getPackageRef()));
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new NonRetryableEventException(
                    "PackageReady transferId=" + event.getTransferId() + ": packageRef '" + event.getPackageRef()
                            + "' is not a file: URI of the staging area",
                    e);
        }
    }

    static NonRetryableEventException refused(PackageReady event, String reason) {
        return new NonRetryableEventException("PackageReady transferId=" + event.getTransferId() + ": " + reason);
    }
}

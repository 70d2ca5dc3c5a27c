package dk.sf1820.extractor;

import dk.sf1820.schemas.registry.Authorities;
import dk.sf1820.schemas.registry.DataFileName;
import dk.sf1820.schemas.registry.ExtractRefusedException;
import dk.sf1820.schemas.registry.ExtractSource;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.schemas.registry.Period;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What an extract must be before it is staged: the registry's and SF1820's rules, and a file fit to submit. */
final class ExtractValidation {

    /** A validated extract's fagsystem, authority and period. */
    record Key(Fagsystem fagsystem, String authority, Period period) {}

    private ExtractValidation() {}

    /** @throws ExtractRefusedException when the fagsystem, source, authority or period is refused */
    static Key validate(
            FagsystemRegistry registry,
            String fagsystemCode,
            String authorityCode,
            String periodText,
            ExtractSource source) {
        Fagsystem fagsystem = registry.requireExtract(fagsystemCode);
        fagsystem.requireSource(source);
        String authority = Authorities.require(authorityCode);
        Period period = fagsystem.requirePeriod(Period.parse(periodText));
        return new Key(fagsystem, authority, period);
    }

    /** @throws ExtractRefusedException when a source's own file name would not be a plain, visible file */
    static String requirePlainName(String fileName) {
        if (fileName == null
                || fileName.startsWith(".")
                || DataFileName.violation(fileName).isPresent()) {
            throw new ExtractRefusedException("staged file name '" + fileName + "' must be a plain, visible file name");
        }
        return fileName;
    }

    /** @throws ExtractRefusedException when the file is missing, no regular file, hidden, unreadable or empty */
    static Path requireSubmittable(Path file) {
        if (file == null) {
            throw new ExtractRefusedException("no extract file given");
        }
        if (!Files.exists(file)) {
            throw new ExtractRefusedException("extract file " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new ExtractRefusedException("extract file " + file + " is not a regular file");
        }
        String name = file.getFileName().toString();
        if (isHidden(file)) {
            // Export and copy tools write partial files under hidden names; such a file is never an extract.
            throw new ExtractRefusedException("extract file " + file + " is hidden; hidden files are not submitted");
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ExtractRefusedException("extract file " + file + " has control characters in its name");
        }
        if (!Files.isReadable(file)) {
            throw new ExtractRefusedException("extract file " + file + " is not readable by this process");
        }
        if (HashingCopy.sizeOf(file) == 0) {
            throw new ExtractRefusedException("extract file " + file + " is empty; an empty extract is not delivered");
        }
        return file;
    }

    private static boolean isHidden(Path file) {
        try {
            return Files.isHidden(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot inspect extract file " + file + ": " + e.getMessage(), e);
        }
    }
}

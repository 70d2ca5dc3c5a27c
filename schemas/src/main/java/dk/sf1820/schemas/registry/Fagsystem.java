package dk.sf1820.schemas.registry;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A municipal line-of-business system that delivers extracts to Danmarks Statistik under SF1820.
 *
 * @param code the code used in file names and file types, e.g. {@code KSD}
 * @param name the system's name
 * @param extractSpecified false for a system SF1820 lists but specifies no extract for (VALG)
 * @param sftpUser the sender's "simple SFTP with route" user on the platform, e.g. {@code KSD_SFTPSIMPEL}
 * @param recipients the recipient SFTP users, e.g. {@code DST-CEMOS-SFTPUsername}
 * @param recipientCode the recipient's short name in file names, e.g. {@code DST}
 * @param contentType the file type named in the trigger, e.g. {@code SF1820_KSD}
 * @param fileNamePattern the data file name, see {@link DataFileName#DEFAULT_PATTERN}
 * @param periods the period kinds an extract of this system may cover
 * @param sources the ways its extracts may arrive
 */
public record Fagsystem(
        String code,
        String name,
        boolean extractSpecified,
        String sftpUser,
        List<String> recipients,
        String recipientCode,
        String contentType,
        String fileNamePattern,
        Set<Period.Kind> periods,
        Set<ExtractSource> sources) {

    public Fagsystem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(name, "name");
        recipients = List.copyOf(recipients == null ? List.of() : recipients);
        fileNamePattern = fileNamePattern == null ? DataFileName.DEFAULT_PATTERN : fileNamePattern;
        // unset means unrestricted
        periods = Set.copyOf(periods == null || periods.isEmpty() ? EnumSet.allOf(Period.Kind.class) : periods);
        sources = Set.copyOf(sources == null || sources.isEmpty() ? EnumSet.allOf(ExtractSource.class) : sources);
        String patternViolation = DataFileName.patternViolation(fileNamePattern).orElse(null);
        if (patternViolation != null) {
            throw new IllegalArgumentException("sf1820.registry." + code + ".file-name-pattern: " + patternViolation);
        }
        if (extractSpecified) {
            require(sftpUser, code, "sftp-user");
            require(recipientCode, code, "recipient-code");
            require(contentType, code, "content-type");
            if (recipients.isEmpty()) {
                throw new IllegalArgumentException(
                        "sf1820.registry." + code + ".recipients: at least one recipient is required");
            }
        }
    }

    /** A system with the recommended file name, every period kind and every source. */
    public Fagsystem(
            String code,
            String name,
            boolean extractSpecified,
            String sftpUser,
            List<String> recipients,
            String recipientCode,
            String contentType) {
        this(code, name, extractSpecified, sftpUser, recipients, recipientCode, contentType, null, null, null);
    }

    /**
     * The period, if this system's extracts may cover it.
     *
     * @throws ExtractRefusedException naming the allowed period kinds otherwise
     */
    public Period requirePeriod(Period period) {
        if (!periods.contains(period.kind())) {
            throw new ExtractRefusedException("period '" + period + "' is a " + period.kind() + " period; " + code
                    + " extracts cover " + EnumSet.copyOf(periods));
        }
        return period;
    }

    /**
     * @throws ExtractRefusedException when this system's extracts do not arrive that way
     */
    public void requireSource(ExtractSource source) {
        if (!sources.contains(source)) {
            throw new ExtractRefusedException(code + " extracts do not arrive by " + source.value() + "; sources: "
                    + EnumSet.copyOf(sources).stream().map(ExtractSource::value).toList());
        }
    }

    private static void require(String value, String code, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("sf1820.registry." + code + "." + key + ": must be set");
        }
    }

    /** The defaults for a system with an extract: user {@code <code>_SFTPSIMPEL}, recipient DST. */
    public static Fagsystem withExtract(String code, String name) {
        return new Fagsystem(
                code,
                name,
                true,
                code + "_SFTPSIMPEL",
                List.of(Recipients.DST_USER),
                Recipients.DST_CODE,
                "SF1820_" + code);
    }

    /** A system SF1820 names but specifies no extract for. */
    public static Fagsystem withoutExtract(String code, String name) {
        return new Fagsystem(code, name, false, null, List.of(), null, null);
    }

    /** Well-known recipient of SF1820 deliveries. */
    public static final class Recipients {
        public static final String DST_USER = "DST-CEMOS-SFTPUsername";
        public static final String DST_CODE = "DST";

        private Recipients() {}
    }
}

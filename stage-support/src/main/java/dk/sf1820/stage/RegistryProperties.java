package dk.sf1820.stage;

import dk.sf1820.schemas.registry.DataFileName;
import dk.sf1820.schemas.registry.ExtractSource;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.schemas.registry.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The fagsystem registry of this installation: the shipped SF1820 defaults (KSD, DUBU, KY, FBS, KP
 * with extracts; VALG without), changed or extended by configuration, e.g.
 * {@code sf1820.registry.fagsystems.KSD.sftp-user=KSD_0561_SFTP} or a new
 * {@code sf1820.registry.fagsystems.XYZ.name=...}. Validated at start-up; every problem is reported
 * with its key.
 *
 * @param fagsystems settings by fagsystem code; an unset setting keeps the default
 */
@ConfigurationProperties("sf1820.registry")
public record RegistryProperties(@DefaultValue Map<String, Entry> fagsystems) {

    static final String PREFIX = "sf1820.registry.fagsystems.";

    /**
     * One fagsystem's settings; each unset one keeps the shipped default (for a new code: user
     * {@code <code>_SFTPSIMPEL}, recipient {@code DST-CEMOS-SFTPUsername}, content type {@code SF1820_<code>}).
     *
     * @param name the system's name (required for a new code)
     * @param extract false for a system SF1820 names but specifies no extract for; such a system is refused
     * @param sftpUser the sender's SFTP user on the Serviceplatform
     * @param recipients the recipients' SFTP users
     * @param recipientCode the recipient's short name in file names
     * @param contentType the file type the trigger names, {@code SF1820_<code>}
     * @param fileNamePattern the data file name, see {@link DataFileName#DEFAULT_PATTERN}
     * @param periods the period kinds its extracts may cover (MONTH, QUARTER, HALF_YEAR, YEAR)
     * @param sources how its extracts may arrive (submit, drop-folder, query)
     */
    public record Entry(
            String name,
            Boolean extract,
            String sftpUser,
            List<String> recipients,
            String recipientCode,
            String contentType,
            String fileNamePattern,
            Set<Period.Kind> periods,
            Set<ExtractSource> sources) {}

    /**
     * @throws IllegalArgumentException listing every invalid setting by its key
     */
    public FagsystemRegistry toRegistry() {
        Map<String, Fagsystem> merged = new LinkedHashMap<>();
        FagsystemRegistry.standardEntries().forEach(f -> merged.put(f.code(), f));
        List<String> problems = new ArrayList<>();
        fagsystems.forEach((key, entry) -> {
            String code = key.toUpperCase(Locale.ROOT);
            List<String> entryProblems = problems(code, merged.get(code), entry);
            if (entryProblems.isEmpty()) {
                merged.put(code, merge(code, merged.get(code), entry));
            }
            problems.addAll(entryProblems);
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid fagsystem registry:\n  " + String.join("\n  ", problems));
        }
        return new FagsystemRegistry(merged.values());
    }

    private static List<String> problems(String code, Fagsystem shipped, Entry entry) {
        String key = PREFIX + code + ".";
        List<String> problems = new ArrayList<>();
        if (!code.matches("[A-Z][A-Z0-9]{0,19}")) {
            problems.add(PREFIX + code + ": a fagsystem code is letters and digits, e.g. KSD (it starts file names)");
        }
        if (shipped == null && blank(entry.name())) {
            problems.add(key + "name: must be set for a fagsystem that is not shipped (shipped: "
                    + String.join(
                            ", ",
                            FagsystemRegistry.standardEntries().stream()
                                    .map(Fagsystem::code)
                                    .toList())
                    + ")");
        }
        if (shipped != null && !shipped.extractSpecified() && Boolean.TRUE.equals(entry.extract())) {
            problems.add(key + "extract: SF1820 specifies no extract for " + code + " (" + shipped.name()
                    + "); it cannot be enabled");
        }
        if (entry.sftpUser() != null && !entry.sftpUser().matches("[A-Za-z0-9._-]+")) {
            problems.add(key + "sftp-user: '" + entry.sftpUser() + "' is no SFTP user name (letters, digits, . _ -)");
        }
        if (entry.recipients() != null
                && (entry.recipients().isEmpty() || entry.recipients().stream().anyMatch(RegistryProperties::blank))) {
            problems.add(key + "recipients: at least one recipient, none blank (e.g. DST-CEMOS-SFTPUsername)");
        }
        if (entry.contentType() != null && !entry.contentType().matches("SF1820_[A-Za-z0-9_]+")) {
            problems.add(
                    key + "content-type: '" + entry.contentType() + "' is no SF1820 file type (SF1820_" + code + ")");
        }
        if (entry.recipientCode() != null && !entry.recipientCode().matches("[A-Za-z0-9]+")) {
            problems.add(key + "recipient-code: '" + entry.recipientCode() + "' must be letters and digits (DST)");
        }
        if (entry.fileNamePattern() != null) {
            DataFileName.patternViolation(entry.fileNamePattern())
                    .ifPresent(v -> problems.add(key + "file-name-pattern: " + v));
        }
        return problems;
    }

    private static Fagsystem merge(String code, Fagsystem shipped, Entry entry) {
        Fagsystem base = shipped != null
                ? shipped
                : Boolean.FALSE.equals(entry.extract())
                        ? Fagsystem.withoutExtract(code, entry.name())
                        : Fagsystem.withExtract(code, entry.name());
        boolean extract = entry.extract() != null ? entry.extract() : base.extractSpecified();
        return new Fagsystem(
                code,
                or(entry.name(), base.name()),
                extract,
                or(entry.sftpUser(), base.sftpUser()),
                or(entry.recipients(), base.recipients()),
                or(entry.recipientCode(), base.recipientCode()),
                or(entry.contentType(), base.contentType()),
                or(entry.fileNamePattern(), base.fileNamePattern()),
                or(entry.periods(), base.periods()),
                or(entry.sources(), base.sources()));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

package dk.sf1820.schemas.registry;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * SF1820 data file names (section 2): {@code <Sender>_<Recipient>_<authority>_<period>_<yyyyMMddHHmmss>.zip},
 * e.g. {@code KSD_DST_0561_M03_20180402134858.zip}, and the rules every name must keep.
 */
public final class DataFileName {

    public static final int MAX_LENGTH = 255;
    public static final String TRIGGER_SUFFIX = ".trigger";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private DataFileName() {
    }

    /** The recommended name for a fagsystem's extract. */
    public static String of(Fagsystem fagsystem, String authority, Period period, LocalDateTime createdAt) {
        String name = fagsystem.code() + "_" + fagsystem.recipientCode() + "_" + authority + "_" + period
                + "_" + STAMP.format(createdAt) + ".zip";
        violation(name).ifPresent(v -> {
            throw new IllegalArgumentException(v);
        });
        return name;
    }

    /**
     * What is wrong with a data file name, if anything: empty, longer than 255 characters, ending in
     * {@code .trigger}, a path (separators, {@code .} or {@code ..}) or containing control characters.
     */
    public static Optional<String> violation(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("data file name is empty");
        }
        if (name.length() > MAX_LENGTH) {
            return Optional.of("data file name '" + name.substring(0, 40) + "…' has " + name.length()
                    + " characters; at most " + MAX_LENGTH + " are allowed");
        }
        if (name.toLowerCase(java.util.Locale.ROOT).endsWith(TRIGGER_SUFFIX)) {
            return Optional.of("data file name '" + name + "' must not end in " + TRIGGER_SUFFIX);
        }
        if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
            return Optional.of("data file name '" + name + "' must be a plain name, not a path");
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of("data file name contains control characters");
        }
        return Optional.empty();
    }
}

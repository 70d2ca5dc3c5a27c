package dk.sf1820.schemas.registry;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SF1820 data file names (section 2): {@code <Sender>_<Recipient>_<authority>_<period>_<yyyyMMddHHmmss>.zip},
 * e.g. {@code KSD_DST_0561_M03_20180402134858.zip}, and the rules every name must keep.
 */
public final class DataFileName {

    /**
     * The recommended name; a fagsystem's {@code file-name-pattern} may rearrange these placeholders:
     * {@code {sender}} (fagsystem code), {@code {recipient}}, {@code {authority}} (four digits),
     * {@code {period}} (as given, e.g. {@code M03} or {@code 2026M03}), {@code {period-no-year}}
     * ({@code M03}), {@code {timestamp}} ({@code yyyyMMddHHmmss}).
     */
    public static final String DEFAULT_PATTERN = "{sender}_{recipient}_{authority}_{period}_{timestamp}.zip";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");
    private static final Set<String> PLACEHOLDERS =
            Set.of("sender", "recipient", "authority", "period", "period-no-year", "timestamp");

    /** SF1820's limit of a data file name, in characters (section 2). */
    public static final int MAX_LENGTH = 255;
    /** The file systems the platform and its clients run on (ext4, XFS, NTFS) limit a name to 255 bytes. */
    public static final int MAX_NAME_BYTES = 255;
    /** The sender's trigger for a data file, in OUT: {@code <file>.trigger} (SF1820 section 3). */
    public static final String TRIGGER_SUFFIX = ".trigger";
    /** The platform's technical receipt for a data file, in the sender's IN: {@code <file>.sftpreceipt}. */
    public static final String RECEIPT_SUFFIX = ".sftpreceipt";
    /** The platform's metadata beside a delivered data file, in the recipient's IN: {@code <file>.metadata}. */
    public static final String METADATA_SUFFIX = ".metadata";
    /** The contract's business receipt for a data file, in the sender's IN: {@code <file>.businessreceipt}. */
    public static final String BUSINESS_RECEIPT_SUFFIX = ".businessreceipt";
    /**
     * The longest a data file name may be, in UTF-8 bytes (æ, ø and å take two each): the platform adds
     * {@code .trigger}, {@code .metadata}, {@code .sftpreceipt} and {@code .businessreceipt} to it, and
     * the longest of them must still fit in {@link #MAX_NAME_BYTES}. A longer name would be delivered
     * but leave no room for the receipt that tells the sender so. Temporary names must not grow a name
     * further (the emulator's do not; the transporter's {@code .trigger.part} is shorter than
     * {@code .businessreceipt}).
     */
    public static final int MAX_DELIVERABLE_LENGTH = MAX_NAME_BYTES - BUSINESS_RECEIPT_SUFFIX.length();
    /**
     * Bytes the names this software makes leave free for what is appended to them: the protocol's suffixes
     * ({@code .trigger}, {@code .sftpreceipt}, {@code .metadata}, a business receipt's
     * {@code .<recipient>.businessreceipt}) and the temporary names sender, platform and recipient write
     * first ({@code .trigger.part}, a leading dot and {@code .part}). 64 covers the longest of these with a
     * recipient name of up to 40 characters.
     */
    public static final int SUFFIX_ROOM = 64;
    /**
     * The longest data file name this software makes, in UTF-8 bytes: {@link #MAX_NAME_BYTES} less
     * {@link #SUFFIX_ROOM}. Stricter than {@link #MAX_DELIVERABLE_LENGTH}, what the platform accepts, so that
     * our own names never come near the file system's limit.
     */
    public static final int MAX_DATA_FILE_NAME_LENGTH = MAX_NAME_BYTES - SUFFIX_ROOM;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private DataFileName() {}

    /**
     * What a data file name says, read back by the pattern that made it.
     *
     * @param fagsystem the fagsystem whose {@link Fagsystem#fileNamePattern()} the name fits
     * @param authority the four-digit authority code
     * @param period the period as the name carries it ({@code M03}, or {@code 2026M03} where the pattern
     *        uses {@code {period}} and the period named its year)
     * @param createdAt the name's timestamp
     */
    public record Parsed(Fagsystem fagsystem, String authority, Period period, LocalDateTime createdAt) {}

    /**
     * Reads a name made by {@link #of} for this fagsystem: the inverse of its file name pattern, with the
     * same grammar for period and timestamp. Empty when the name does not fit the pattern.
     */
    public static Optional<Parsed> parse(Fagsystem fagsystem, String name) {
        if (name == null) {
            return Optional.empty();
        }
        Matcher m = regexOf(fagsystem).matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            String period =
                    fagsystem.fileNamePattern().contains("{period}") ? m.group("period") : m.group("periodnoyear");
            LocalDateTime createdAt = LocalDateTime.parse(m.group("timestamp"), STAMP);
            return Optional.of(new Parsed(fagsystem, m.group("authority"), Period.parse(period), createdAt));
        } catch (DateTimeParseException | ExtractRefusedException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads a data file name of any fagsystem in the registry: the one fagsystem whose pattern it fits.
     * Empty when it fits none, or more than one (custom patterns may overlap; then the name alone does
     * not tell whose it is).
     */
    public static Optional<Parsed> parse(FagsystemRegistry registry, String name) {
        List<Parsed> fits = registry.all().stream()
                .map(f -> parse(f, name))
                .flatMap(Optional::stream)
                .toList();
        return fits.size() == 1 ? Optional.of(fits.get(0)) : Optional.empty();
    }

    /** The pattern as a regular expression: fixed parts literal, each placeholder by its grammar. */
    private static Pattern regexOf(Fagsystem fagsystem) {
        Map<String, String> grammar = Map.of(
                "sender",
                Pattern.quote(fagsystem.code()),
                "recipient",
                Pattern.quote(String.valueOf(fagsystem.recipientCode())),
                "authority",
                "(?<authority>\\d{4})",
                "period",
                "(?<period>" + Period.NAME_GRAMMAR + ")",
                "period-no-year",
                "(?<periodnoyear>" + Period.NAME_GRAMMAR_NO_YEAR + ")",
                "timestamp",
                "(?<timestamp>\\d{14})");
        StringBuilder regex = new StringBuilder();
        Set<String> seen = new HashSet<>();
        Matcher m = PLACEHOLDER.matcher(fagsystem.fileNamePattern());
        int literalFrom = 0;
        while (m.find()) {
            regex.append(Pattern.quote(fagsystem.fileNamePattern().substring(literalFrom, m.start())));
            String placeholder = m.group(1);
            // a placeholder used twice must read the same both times; a named group may be declared once
            regex.append(
                    seen.add(placeholder) || !grammar.get(placeholder).startsWith("(?<")
                            ? grammar.get(placeholder)
                            : "\\k<" + groupName(placeholder) + ">");
            literalFrom = m.end();
        }
        regex.append(Pattern.quote(fagsystem.fileNamePattern().substring(literalFrom)));
        return Pattern.compile(regex.toString());
    }

    private static String groupName(String placeholder) {
        return placeholder.equals("period-no-year") ? "periodnoyear" : placeholder;
    }

    /** The name of a fagsystem's extract, by its {@link Fagsystem#fileNamePattern()}. */
    public static String of(Fagsystem fagsystem, String authority, Period period, LocalDateTime createdAt) {
        Map<String, String> values = Map.of(
                "sender",
                fagsystem.code(),
                "recipient",
                String.valueOf(fagsystem.recipientCode()),
                "authority",
                authority,
                "period",
                period.value(),
                "period-no-year",
                period.withoutYear(),
                "timestamp",
                STAMP.format(createdAt));
        String name = PLACEHOLDER
                .matcher(fagsystem.fileNamePattern())
                .replaceAll(m -> Matcher.quoteReplacement(values.get(m.group(1))));
        ownNameViolation(name).ifPresent(v -> {
            throw new IllegalArgumentException(v);
        });
        return name;
    }

    /**
     * What is wrong with a file name pattern, if anything: an unknown placeholder, or missing
     * {@code {authority}}, {@code {period}} or {@code {timestamp}} (two extracts would share a name),
     * or not ending in {@code .zip}.
     */
    public static Optional<String> patternViolation(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return Optional.of("must be set, e.g. " + DEFAULT_PATTERN);
        }
        Set<String> used = new HashSet<>();
        Matcher m = PLACEHOLDER.matcher(pattern);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                return Optional.of("'" + pattern + "' has unknown placeholder {" + m.group(1) + "}; known: "
                        + new TreeSet<>(PLACEHOLDERS));
            }
            used.add(m.group(1));
        }
        for (String required : List.of("authority", "timestamp")) {
            if (!used.contains(required)) {
                return Optional.of("'" + pattern + "' lacks {" + required + "}");
            }
        }
        if (!used.contains("period") && !used.contains("period-no-year")) {
            return Optional.of("'" + pattern + "' lacks {period}");
        }
        if (!pattern.endsWith(".zip")) {
            return Optional.of("'" + pattern + "' must end in .zip");
        }
        return ownNameViolation(PLACEHOLDER.matcher(pattern).replaceAll("x"));
    }

    /**
     * What is wrong with a data file name, if anything: empty, longer than
     * {@link #MAX_DELIVERABLE_LENGTH} bytes in UTF-8, ending in {@code .trigger}, starting with a dot
     * (hidden, and the platform's temporary names), a path (separators, {@code .} or {@code ..}) or
     * containing control characters.
     */
    public static Optional<String> violation(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("data file name is empty");
        }
        int bytes = utf8Length(name);
        if (bytes > MAX_DELIVERABLE_LENGTH) {
            return Optional.of("data file name '" + name.substring(0, Math.min(name.length(), 40)) + "…' has "
                    + bytes + " bytes in UTF-8; at most " + MAX_DELIVERABLE_LENGTH + " are allowed, so that the "
                    + "platform's " + BUSINESS_RECEIPT_SUFFIX + " and " + RECEIPT_SUFFIX + " names still fit in "
                    + MAX_NAME_BYTES + " bytes");
        }
        if (name.toLowerCase(Locale.ROOT).endsWith(TRIGGER_SUFFIX)) {
            return Optional.of("data file name '" + name + "' must not end in " + TRIGGER_SUFFIX);
        }
        if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
            return Optional.of("data file name '" + name + "' must be a plain name, not a path");
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of("data file name contains control characters");
        }
        if (name.startsWith(".")) {
            return Optional.of("data file name '" + name + "' must not start with a dot: such files are hidden, "
                    + "and clients ignore them as temporary");
        }
        return Optional.empty();
    }

    /**
     * What is wrong with a data file name this software makes (the packager's names, the events that carry
     * them), if anything: what {@link #violation(String)} refuses, or longer than
     * {@link #MAX_DATA_FILE_NAME_LENGTH} bytes in UTF-8.
     */
    public static Optional<String> ownNameViolation(String name) {
        Optional<String> violation = violation(name);
        if (violation.isPresent()) {
            return violation;
        }
        int bytes = utf8Length(name);
        if (bytes > MAX_DATA_FILE_NAME_LENGTH) {
            return Optional.of("data file name '" + name.substring(0, Math.min(name.length(), 40)) + "…' has " + bytes
                    + " bytes in UTF-8; the names sf1820 makes have at most " + MAX_DATA_FILE_NAME_LENGTH + " ("
                    + MAX_NAME_BYTES + " less " + SUFFIX_ROOM
                    + " for the suffixes the platform and temporary names add)");
        }
        return Optional.empty();
    }

    /** The length of a name as the file system counts it. */
    public static int utf8Length(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length;
    }
}

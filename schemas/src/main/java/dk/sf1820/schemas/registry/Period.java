package dk.sf1820.schemas.registry;

import java.time.LocalDate;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An extract period as it appears in SF1820 file names: month {@code M01}–{@code M12}, quarter
 * {@code K1}–{@code K4}, half-year {@code H1}–{@code H2} or year {@code Y}, optionally preceded by
 * an explicit year ({@code 2026M03}, {@code 2025Y}). The file name example ({@code _M03_}) leaves the
 * year implicit; a scheduled extract names it ({@link #previous}), because a January run for
 * December must not read as this year's December.
 */
public record Period(String value) {

    /** The length of a period; the letter is what SF1820 file names carry. */
    public enum Kind {
        MONTH('M', 12),
        QUARTER('K', 4),
        HALF_YEAR('H', 2),
        YEAR('Y', 1);

        private final char letter;
        private final int perYear;

        Kind(char letter, int perYear) {
            this.letter = letter;
            this.perYear = perYear;
        }

        /** How many periods of this kind a year has. */
        public int perYear() {
            return perYear;
        }

        int monthsLong() {
            return 12 / perYear;
        }

        static Kind of(char letter) {
            for (Kind kind : values()) {
                if (kind.letter == letter) {
                    return kind;
                }
            }
            return null;
        }
    }

    /** A period without its year as file names carry it, as a regular expression: {@code M03}, {@code K1}, {@code Y}. */
    static final String NAME_GRAMMAR_NO_YEAR = "M(?:0[1-9]|1[0-2])|K[1-4]|H[12]|Y";
    /** A period as file names carry it, with or without its year, as a regular expression. */
    static final String NAME_GRAMMAR = "(?:20\\d{2})?(?:" + NAME_GRAMMAR_NO_YEAR + ")";

    private static final Pattern FORM = Pattern.compile("(\\d{4})?([A-Z])(\\d*)");
    private static final String EXPECTED =
            "expected M01-M12, K1-K4, H1-H2 or Y, optionally preceded by a year (2026M03)";

    /**
     * @throws ExtractRefusedException when the text is no period, naming what is wrong with it
     */
    public static Period parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw invalid(text, EXPECTED);
        }
        Kind kind = Kind.of(m.group(2).charAt(0));
        String number = m.group(3);
        if (kind == null) {
            throw invalid(text, "'" + m.group(2) + "' is no period letter; " + EXPECTED);
        }
        switch (kind) {
            case MONTH -> {
                if (!number.matches("0[1-9]|1[0-2]")) {
                    throw invalid(text, "a month is M01-M12, two digits");
                }
            }
            case QUARTER -> {
                if (!number.matches("[1-4]")) {
                    throw invalid(text, "a quarter is K1-K4");
                }
            }
            case HALF_YEAR -> {
                if (!number.matches("[12]")) {
                    throw invalid(text, "a half-year is H1 or H2");
                }
            }
            case YEAR -> {
                if (!number.isEmpty()) {
                    throw invalid(text, "a year is Y, or with the year explicit 2025Y");
                }
            }
        }
        if (m.group(1) != null && (Integer.parseInt(m.group(1)) < 2000 || Integer.parseInt(m.group(1)) > 2099)) {
            throw invalid(text, "the year " + m.group(1) + " is outside 2000-2099");
        }
        return new Period(m.group());
    }

    private static ExtractRefusedException invalid(String text, String reason) {
        return new ExtractRefusedException("period '" + text + "' is invalid: " + reason);
    }

    /**
     * The last complete period of a kind before the one containing {@code date}, with its year
     * explicit: on 2026-01-05, MONTH gives {@code 2025M12}, QUARTER {@code 2025K4}, YEAR {@code 2025Y}.
     */
    public static Period previous(Kind kind, LocalDate date) {
        LocalDate inPrevious = date.withDayOfMonth(1).minusMonths((date.getMonthValue() - 1) % kind.monthsLong() + 1L);
        int number = (inPrevious.getMonthValue() - 1) / kind.monthsLong() + 1;
        String suffix = switch (kind) {
            case MONTH -> "M" + (number < 10 ? "0" : "") + number;
            case QUARTER -> "K" + number;
            case HALF_YEAR -> "H" + number;
            case YEAR -> "Y";
        };
        return new Period(inPrevious.getYear() + suffix);
    }

    /** Month, quarter, half-year or year. */
    public Kind kind() {
        return Kind.of(withoutYear().charAt(0));
    }

    /** The explicit year, if the period names one. */
    public OptionalInt year() {
        return Character.isDigit(value.charAt(0))
                ? OptionalInt.of(Integer.parseInt(value.substring(0, 4)))
                : OptionalInt.empty();
    }

    /** The period without its year, as the recommended file name pattern carries it: {@code M03}. */
    public String withoutYear() {
        return year().isPresent() ? value.substring(4) : value;
    }

    /** The first day of the period; needs the year. */
    public LocalDate start() {
        int year = year().orElseThrow(() -> new IllegalStateException("period " + value + " names no year"));
        int number = kind() == Kind.YEAR ? 1 : Integer.parseInt(withoutYear().substring(1));
        return LocalDate.of(year, (number - 1) * kind().monthsLong() + 1, 1);
    }

    /** The first day after the period; needs the year. */
    public LocalDate end() {
        return start().plusMonths(kind().monthsLong());
    }

    @Override
    public String toString() {
        return value;
    }
}

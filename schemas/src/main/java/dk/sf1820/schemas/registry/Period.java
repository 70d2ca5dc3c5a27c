package dk.sf1820.schemas.registry;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An extract period as it appears in SF1820 file names: month {@code M01}–{@code M12}, quarter
 * {@code K1}–{@code K4}, half-year {@code H1}–{@code H2} or year {@code Y}, optionally preceded by
 * an explicit year ({@code 2026M03}).
 */
public record Period(String value) {

    private static final Pattern FORM = Pattern.compile("(\\d{4})?(M(0[1-9]|1[0-2])|K[1-4]|H[12]|Y)");

    /**
     * @throws ExtractRefusedException when the text is no period
     */
    public static Period parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new ExtractRefusedException("period '" + text
                    + "' is invalid: expected M01-M12, K1-K4, H1-H2 or Y, optionally preceded by a year (2026M03)");
        }
        return new Period(m.group());
    }

    @Override
    public String toString() {
        return value;
    }
}

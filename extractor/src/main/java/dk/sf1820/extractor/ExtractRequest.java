package dk.sf1820.extractor;

import java.nio.file.Path;

/**
 * An extract as an operator or a fagsystem hands it over, before any validation
 * ({@code ./sf1820 submit --fagsystem KSD --authority 0561 --period M03 FILE}).
 *
 * @param fagsystem fagsystem code, e.g. {@code KSD}
 * @param authority municipality code, {@code 561} or {@code 0561}
 * @param period extract period, e.g. {@code M03}
 * @param file the exported data file
 * @param resend true to deliver an extract again on purpose, under a new transferId; false refuses
 *        an extract that was submitted before
 */
public record ExtractRequest(String fagsystem, String authority, String period, Path file, boolean resend) {

    /** A first delivery. */
    public ExtractRequest(String fagsystem, String authority, String period, Path file) {
        this(fagsystem, authority, period, file, false);
    }
}

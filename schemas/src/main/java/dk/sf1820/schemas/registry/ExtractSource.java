package dk.sf1820.schemas.registry;

import java.util.Locale;

/** How a fagsystem's extract arrives; the value is what {@code ExtractReady.source} carries. */
public enum ExtractSource {
    /** Handed over explicitly: {@code ./sf1820 submit} or {@code POST /extracts}. */
    SUBMIT,
    /** Left in the watched drop folder. */
    DROP_FOLDER,
    /** Produced by a scheduled database query. */
    QUERY;

    /** {@code submit}, {@code drop-folder}, {@code query}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

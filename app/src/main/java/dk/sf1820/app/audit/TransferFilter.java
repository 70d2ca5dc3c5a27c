package dk.sf1820.app.audit;

import dk.sf1820.schemas.events.TransferRef;
import java.util.function.Predicate;

/**
 * Which transfers {@code status} lists; a null criterion matches every transfer.
 *
 * @param fagsystem fagsystem code, e.g. KSD (case does not matter)
 * @param authority the municipality code, e.g. 0561
 * @param period the extract period, e.g. M03 (case does not matter)
 */
public record TransferFilter(String fagsystem, String authority, String period) implements Predicate<TransferRef> {

    public static final TransferFilter ALL = new TransferFilter(null, null, null);

    @Override
    public boolean test(TransferRef ref) {
        return (fagsystem == null || fagsystem.equalsIgnoreCase(ref.fagsystem()))
                && (authority == null || authority.equals(ref.authority()))
                && (period == null || period.equalsIgnoreCase(ref.period()));
    }

    /** Whether it matches every transfer: records that belong to no transfer are shown only then. */
    public boolean isEmpty() {
        return fagsystem == null && authority == null && period == null;
    }
}

package dk.sf1820.extractor;

import dk.sf1820.schemas.registry.ExtractRefusedException;

/**
 * The extract was submitted and announced before: same fagsystem, authority, period and content. Refused so that
 * DST does not receive it twice; a deliberate re-delivery asks for {@code resend}.
 */
public class DuplicateExtractException extends ExtractRefusedException {

    private final String earlierTransferId;
    private final String earlierOrigin;

    public DuplicateExtractException(String earlierTransferId, String earlierOrigin, String message) {
        super(message);
        this.earlierTransferId = earlierTransferId;
        this.earlierOrigin = earlierOrigin;
    }

    /** Where the earlier submission came from (a file path, a dataset), as its record names it; may be null. */
    public String earlierOrigin() {
        return earlierOrigin;
    }

    /** The transferId of the earlier submission. */
    public String earlierTransferId() {
        return earlierTransferId;
    }
}

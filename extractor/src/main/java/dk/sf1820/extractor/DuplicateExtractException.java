package dk.sf1820.extractor;

import dk.sf1820.schemas.registry.ExtractRefusedException;

/**
 * The extract was submitted before: same fagsystem, authority, period and content. Refused so that
 * DST does not receive it twice; a deliberate re-delivery asks for {@code resend}.
 */
public class DuplicateExtractException extends ExtractRefusedException {

    private final String earlierTransferId;

    public DuplicateExtractException(String earlierTransferId, String message) {
        super(message);
        this.earlierTransferId = earlierTransferId;
    }

    /** The transferId of the earlier submission. */
    public String earlierTransferId() {
        return earlierTransferId;
    }
}

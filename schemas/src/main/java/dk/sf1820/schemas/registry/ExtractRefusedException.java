package dk.sf1820.schemas.registry;

/** An extract that cannot be accepted: unknown fagsystem, no extract specified, bad authority or period. */
public class ExtractRefusedException extends IllegalArgumentException {

    public ExtractRefusedException(String message) {
        super(message);
    }
}

package dk.sf1820.app.embedded;

/** The work directory's embedded default runs in another process, and this command cannot join it. */
public class WorkDirectoryInUseException extends IllegalStateException {

    WorkDirectoryInUseException(String message) {
        super(message);
    }
}

package dk.sf1820.schemas.sftp;

/**
 * An SFTP contract document that cannot be read: names the file and, where the parser knows them,
 * the line and column, and the rule that was broken.
 */
public class SftpXmlException extends Exception {

    private final String source;

    public SftpXmlException(String source, String message, Throwable cause) {
        super(source + ": " + message, cause);
        this.source = source;
    }

    /** The file (or other source) the document came from. */
    public String source() {
        return source;
    }
}

package dk.sf1820.sftp;

/** An SFTP operation that failed, naming the account and the remote path. */
public class SftpException extends Exception {

    private final boolean retryable;

    public SftpException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** False for failures a retry cannot cure: an unknown or changed host key, a refused key. */
    public boolean retryable() {
        return retryable;
    }
}

package dk.sf1820.serviceplatform.scan;

/**
 * The emulator's numbered error catalogue, written as {@code ErrorCode} / {@code ErrorCodeDescription}
 * in failure receipts. The real platform's codes are not public (SF1820.md section 3); these numbers
 * are stable: a code is never reused for another meaning. Hundreds group the cause:
 * 1xx the trigger document, 2xx routing parties, 3xx the data file, 4xx name conflicts, 5xx the platform.
 */
public enum PlatformError {
    MALFORMED_XML(100, "Trigger is not well-formed XML"),
    SCHEMA_VIOLATION(101, "Trigger does not conform to the SFTP contract's schema"),
    TRIGGER_TOO_LARGE(102, "Trigger file is too large"),
    FILE_TRANSFER_UUID_IN_TRIGGER(103, "Trigger carries a FileTransferUUID, which only the platform assigns"),
    XML_VERSION_NOT_SUPPORTED(104, "Trigger is not XML 1.0"),
    SENDER_MISMATCH(200, "Sender does not own the OUT folder the trigger lies in"),
    UNKNOWN_RECIPIENT(201, "Recipient is not a user of the platform"),
    DATA_FILE_MISSING(300, "Data file named by the trigger is not in the OUT folder"),
    SIZE_MISMATCH(301, "Data file size differs from SizeInBytes"),
    FORBIDDEN_FILE_NAME(302, "FileName breaks the data file naming rules"),
    DATA_FILE_NOT_REGULAR(303, "Data file is not a regular file"),
    FILE_NAME_IN_USE(400, "A file of that name still waits in a recipient's IN folder"),
    ROUTING_FAILED(500, "Platform could not deliver the data file");

    private final int code;
    private final String description;

    PlatformError(int code, String description) {
        this.code = code;
        this.description = description;
    }

    public int code() {
        return code;
    }

    public String description() {
        return description;
    }

    /** A problem of this kind, with the details that tell the sender what to fix. */
    public PlatformProblem because(String detail) {
        return new PlatformProblem(this, detail);
    }
}

package dk.sf1820.serviceplatform.scan;

/**
 * One thing wrong with a trigger, as written into a failure receipt's {@code ErrorMessage}.
 *
 * @param error the catalogue entry ({@code ErrorCode}, {@code ErrorCodeDescription})
 * @param detail what exactly is wrong, naming the field or file ({@code ErrorDescription})
 */
public record PlatformProblem(PlatformError error, String detail) {

    public int code() {
        return error.code();
    }

    @Override
    public String toString() {
        return error.code() + " " + error.name() + ": " + detail;
    }
}

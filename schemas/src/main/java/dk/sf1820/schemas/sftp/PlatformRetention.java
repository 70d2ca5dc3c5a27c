package dk.sf1820.schemas.sftp;

import java.time.Duration;

/**
 * How long the Serviceplatform keeps a file (SF1820 section 4): a file left unmodified for 30 days is
 * deleted, and its owner is warned 10 days before, at 20. The text forms are for settings' defaults.
 */
public final class PlatformRetention {

    private static final int RETENTION_DAYS = 30;
    private static final int WARNING_AFTER_DAYS = 20;

    /** The platform deletes a file left unmodified this long. */
    public static final Duration RETENTION = Duration.ofDays(RETENTION_DAYS);
    /** {@link #RETENTION} as a setting's default. */
    public static final String RETENTION_TEXT = RETENTION_DAYS + "d";
    /** The platform warns a file's owner once it has lain unmodified this long. */
    public static final Duration WARNING_AFTER = Duration.ofDays(WARNING_AFTER_DAYS);
    /** {@link #WARNING_AFTER} as a setting's default. */
    public static final String WARNING_AFTER_TEXT = WARNING_AFTER_DAYS + "d";

    private PlatformRetention() {}
}

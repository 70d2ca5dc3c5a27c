package dk.sf1820.serviceplatform.housekeeping;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Where the emulator puts the mails the real platform sends to a user's owner: one text file per
 * user and day, {@code <root>/mail/<user>/<yyyyMMdd>-deletion-warning.txt}. The folder lies outside
 * the users' homes, so no SFTP session sees it and housekeeping never deletes it; it is for the
 * operator and the tests. A second warning on the same day is appended to that day's file.
 */
public final class OwnerMailbox {

    static final String FOLDER = "mail";
    static final String DELETION_WARNING_SUFFIX = "-deletion-warning.txt";
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private final Path mailRoot;

    public OwnerMailbox(Path root) {
        this.mailRoot = root.resolve(FOLDER);
    }

    public Path folder(String user) {
        return mailRoot.resolve(user);
    }

    /** The file the warnings sent on {@code day} to {@code user} are in. */
    Path deletionWarning(String user, Instant day) {
        return folder(user).resolve(DAY.format(day) + DELETION_WARNING_SUFFIX);
    }

    /**
     * Writes one deletion warning listing the files and when each is deleted.
     *
     * @return the mail file
     */
    Path sendDeletionWarning(String user, Instant now, Duration retention, List<HousekeepingReport.FileNotice> files)
            throws IOException {
        StringBuilder mail = new StringBuilder()
                .append("To: ")
                .append(user)
                .append('\n')
                .append("Date: ")
                .append(now)
                .append('\n')
                .append("Subject: Serviceplatform will delete ")
                .append(files.size())
                .append(files.size() == 1 ? " file" : " files")
                .append(" of ")
                .append(user)
                .append('\n')
                .append('\n')
                .append("The Serviceplatform deletes files left unmodified for ")
                .append(readable(retention))
                .append(". These files in the SFTP\n")
                .append("folders of ")
                .append(user)
                .append(" will be deleted at the time given; reading a file\n")
                .append("does not postpone it. Fetch what you still need and remove what you have handled:\n")
                .append('\n');
        for (HousekeepingReport.FileNotice file : files) {
            mail.append("  /")
                    .append(file.path())
                    .append("  deleted at ")
                    .append(file.deleteAt())
                    .append("  (last modified ")
                    .append(file.lastModified())
                    .append(")\n");
        }
        mail.append('\n');
        Path target = deletionWarning(user, now);
        Files.createDirectories(target.getParent());
        Files.writeString(target, mail, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return target;
    }

    private static String readable(Duration retention) {
        return retention.toHoursPart() == 0
                        && retention.toMinutesPart() == 0
                        && retention.toSecondsPart() == 0
                        && retention.toNanosPart() == 0
                ? retention.toDays() + " days"
                : retention.toString();
    }
}

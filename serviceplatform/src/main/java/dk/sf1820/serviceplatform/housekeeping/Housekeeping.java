package dk.sf1820.serviceplatform.housekeeping;

import dk.sf1820.serviceplatform.sftp.PlatformUsers;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's clean-up (SF1820 section 4): every file left unmodified for the retention time
 * (30 days) is deleted, and its owner is warned a while before (10 days). The real platform mails
 * the warning; the emulator logs it, reports it and writes it to the owner's {@link OwnerMailbox},
 * once per file and modification time.
 */
public final class Housekeeping {

    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

    private final PlatformUsers users;
    private final OwnerMailbox mailbox;
    private final Duration retention;
    private final Duration warnBefore;
    private final Clock clock;
    // warned once per file version: a file modified after the warning gets a new one later
    private final Map<Path, FileTime> warned = new ConcurrentHashMap<>();

    public Housekeeping(
            PlatformUsers users, OwnerMailbox mailbox, Duration retention, Duration warnBefore, Clock clock) {
        if (!warnBefore.minus(retention).isNegative()) {
            throw new IllegalArgumentException("the deletion warning (" + warnBefore + ") must come before the "
                    + "retention time (" + retention + ") runs out");
        }
        this.users = users;
        this.mailbox = mailbox;
        this.retention = retention;
        this.warnBefore = warnBefore;
        this.clock = clock;
    }

    public synchronized HousekeepingReport run() {
        Instant now = clock.instant();
        List<HousekeepingReport.FileNotice> warnings = new ArrayList<>();
        List<HousekeepingReport.FileNotice> deletions = new ArrayList<>();
        for (String user : users.names()) {
            List<HousekeepingReport.FileNotice> userWarnings = new ArrayList<>();
            for (Path file : filesOf(users.home(user))) {
                visit(user, file, now, userWarnings, deletions);
            }
            if (!userWarnings.isEmpty()) {
                mail(user, now, userWarnings);
                warnings.addAll(userWarnings);
            }
        }
        return new HousekeepingReport(now, warnings, deletions);
    }

    // one mail per user and run, as an owner would want it: all files at risk in one message
    private void mail(String user, Instant now, List<HousekeepingReport.FileNotice> files) {
        try {
            Path mail = mailbox.sendDeletionWarning(user, now, retention, files);
            log.info("Deletion warning mailed user={} files={} mail={}", user, files.size(), mail);
        } catch (IOException e) {
            // the log line per file still tells the operator; the deletion goes ahead either way
            log.error("Cannot write the deletion warning mail user={}: {}", user, e.toString());
        }
    }

    private void visit(
            String user,
            Path file,
            Instant now,
            List<HousekeepingReport.FileNotice> warnings,
            List<HousekeepingReport.FileNotice> deletions) {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            Instant deleteAt = modified.toInstant().plus(retention);
            String relative = users.home(user).relativize(file).toString();
            if (!now.isBefore(deleteAt)) {
                Files.deleteIfExists(file);
                warned.remove(file);
                deletions.add(new HousekeepingReport.FileNotice(user, relative, modified.toInstant(), deleteAt));
                log.warn(
                        "Housekeeping deleted a file unmodified for {} user={} file={} lastModified={}",
                        retention,
                        user,
                        relative,
                        modified);
            } else if (!now.isBefore(deleteAt.minus(warnBefore)) && !modified.equals(warned.get(file))) {
                warned.put(file, modified);
                warnings.add(new HousekeepingReport.FileNotice(user, relative, modified.toInstant(), deleteAt));
                log.warn(
                        "Deletion notice to the owner user={} file={} lastModified={} deletedAt={}",
                        user,
                        relative,
                        modified,
                        deleteAt);
            }
        } catch (IOException e) {
            log.warn("Housekeeping cannot handle user={} file={}: {}", user, file, e.toString());
        }
    }

    private static List<Path> filesOf(Path home) {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(home, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("Housekeeping cannot walk home={}: {}", home, e.toString());
        }
        return files;
    }
}

package dk.sf1820.serviceplatform.housekeeping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sf1820.serviceplatform.LocalKeys;
import dk.sf1820.serviceplatform.sftp.PlatformUsers;
import dk.sf1820.testsupport.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HousekeepingTest {

    static final Instant NOW = Instant.parse("2026-03-31T08:00:00Z");

    @TempDir
    Path root;

    PlatformUsers users;
    Housekeeping housekeeping;

    @BeforeEach
    void setUp() {
        users = new PlatformUsers(root);
        users.add(
                "KSD_SFTPSIMPEL",
                LocalKeys.generate(root.resolve("keys"), "KSD_SFTPSIMPEL").publicKey());
        housekeeping = new Housekeeping(
                users,
                new OwnerMailbox(root),
                Duration.ofDays(30),
                Duration.ofDays(10),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void fileUnmodifiedFor30DaysIsDeleted() throws Exception {
        Path old = fileAgedDays("OUT/old.zip", 30);
        Path young = fileAgedDays("OUT/young.zip", 5);

        HousekeepingReport report = housekeeping.run();

        assertThat(old).doesNotExist();
        assertThat(young).exists();
        assertThat(report.deletions())
                .extracting(HousekeepingReport.FileNotice::path)
                .containsExactly("OUT/old.zip");
    }

    @Test
    void ownerIsWarnedTenDaysBeforeAndOnlyOnce() throws Exception {
        Path file = fileAgedDays("IN/receipt.sftpreceipt", 20);
        fileAgedDays("IN/fresh.sftpreceipt", 19);

        HousekeepingReport first = housekeeping.run();
        HousekeepingReport second = housekeeping.run();

        assertThat(first.warnings()).singleElement().satisfies(n -> {
            assertThat(n.path()).isEqualTo("IN/receipt.sftpreceipt");
            assertThat(n.deleteAt())
                    .isEqualTo(Files.getLastModifiedTime(file).toInstant().plus(Duration.ofDays(30)));
        });
        assertThat(second.warnings()).isEmpty();
        assertThat(file).exists();
    }

    @Test
    void warningMustComeBeforeTheDeletion() {
        assertThatThrownBy(() -> new Housekeeping(
                        users, new OwnerMailbox(root), Duration.ofDays(10), Duration.ofDays(10), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deletion warning");
    }

    @Test
    void warnsOnDay20ByMailAndDeletesOnDay30TouchingNothingElse() throws Exception {
        Instant day0 = NOW;
        MutableClock clock = new MutableClock(day0);
        Housekeeping days =
                new Housekeeping(users, new OwnerMailbox(root), Duration.ofDays(30), Duration.ofDays(10), clock);
        Path old = fileModifiedAt("OUT/KSD_DST_0561_M03_20260331080000.zip", day0);
        Path receipt = fileModifiedAt("IN/KSD_DST_0561_M03_20260331080000.zip.sftpreceipt", day0);
        Path younger = fileModifiedAt("OUT/KSD_DST_0561_M04_20260405080000.zip", day0.plus(Duration.ofDays(5)));
        Path mailOnDay20 = root.resolve("mail/KSD_SFTPSIMPEL/20260420-deletion-warning.txt");

        clock.set(day0.plus(Duration.ofDays(20)).minusSeconds(1));
        assertThat(days.run().warnings()).as("day 19").isEmpty();
        assertThat(root.resolve("mail")).doesNotExist();

        clock.set(day0.plus(Duration.ofDays(20)));
        HousekeepingReport day20 = days.run();
        assertThat(day20.warnings())
                .extracting(HousekeepingReport.FileNotice::path)
                .containsExactlyInAnyOrder(
                        "OUT/KSD_DST_0561_M03_20260331080000.zip",
                        "IN/KSD_DST_0561_M03_20260331080000.zip.sftpreceipt");
        assertThat(day20.deletions()).isEmpty();
        assertThat(mailOnDay20)
                .content()
                .startsWith("To: KSD_SFTPSIMPEL")
                .contains("/OUT/KSD_DST_0561_M03_20260331080000.zip  deleted at 2026-04-30T08:00:00Z")
                .contains("/IN/KSD_DST_0561_M03_20260331080000.zip.sftpreceipt  deleted at 2026-04-30T08:00:00Z")
                .doesNotContain("M04");

        clock.set(day0.plus(Duration.ofDays(30)).minusSeconds(1));
        HousekeepingReport day29 = days.run();
        assertThat(day29.deletions()).isEmpty();
        assertThat(day29.warnings())
                .as("the younger file reaches its warning on day 25")
                .extracting(HousekeepingReport.FileNotice::path)
                .containsExactly("OUT/KSD_DST_0561_M04_20260405080000.zip");
        assertThat(old).exists();

        clock.set(day0.plus(Duration.ofDays(30)));
        HousekeepingReport day30 = days.run();
        assertThat(day30.deletions())
                .extracting(HousekeepingReport.FileNotice::path)
                .containsExactlyInAnyOrder(
                        "OUT/KSD_DST_0561_M03_20260331080000.zip",
                        "IN/KSD_DST_0561_M03_20260331080000.zip.sftpreceipt");
        assertThat(old).doesNotExist();
        assertThat(receipt).doesNotExist();
        assertThat(day30.warnings()).isEmpty();
        // nothing else touched: the younger file, the folders, the mail
        assertThat(younger).exists().hasContent("OUT/KSD_DST_0561_M04_20260405080000.zip");
        assertThat(users.home("KSD_SFTPSIMPEL").resolve("IN")).isDirectory();
        assertThat(users.home("KSD_SFTPSIMPEL").resolve("OUT")).isDirectory();
        assertThat(mailOnDay20).exists();
    }

    private Path fileModifiedAt(String path, Instant modified) throws Exception {
        Path file = users.home("KSD_SFTPSIMPEL").resolve(path);
        Files.writeString(file, path);
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    private Path fileAgedDays(String path, int days) throws Exception {
        Path file = users.home("KSD_SFTPSIMPEL").resolve(path);
        Files.writeString(file, path);
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(Duration.ofDays(days))));
        return file;
    }
}

package dk.sf1820.serviceplatform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        users.add("KSD_SFTPSIMPEL", LocalKeys.generate(root.resolve("keys"), "KSD_SFTPSIMPEL").publicKey());
        housekeeping = new Housekeeping(users, Duration.ofDays(30), Duration.ofDays(10),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void fileUnmodifiedFor30DaysIsDeleted() throws Exception {
        Path old = fileAgedDays("OUT/old.zip", 30);
        Path young = fileAgedDays("OUT/young.zip", 5);

        HousekeepingReport report = housekeeping.run();

        assertThat(old).doesNotExist();
        assertThat(young).exists();
        assertThat(report.deletions()).extracting(HousekeepingReport.FileNotice::path).containsExactly("OUT/old.zip");
    }

    @Test
    void ownerIsWarnedTenDaysBeforeAndOnlyOnce() throws Exception {
        Path file = fileAgedDays("IN/receipt.sftpreceipt", 20);
        fileAgedDays("IN/fresh.sftpreceipt", 19);

        HousekeepingReport first = housekeeping.run();
        HousekeepingReport second = housekeeping.run();

        assertThat(first.warnings()).singleElement().satisfies(n -> {
            assertThat(n.path()).isEqualTo("IN/receipt.sftpreceipt");
            assertThat(n.deleteAt()).isEqualTo(Files.getLastModifiedTime(file).toInstant().plus(Duration.ofDays(30)));
        });
        assertThat(second.warnings()).isEmpty();
        assertThat(file).exists();
    }

    @Test
    void warningMustComeBeforeTheDeletion() {
        assertThatThrownBy(() -> new Housekeeping(users, Duration.ofDays(10), Duration.ofDays(10), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deletion warning");
    }

    private Path fileAgedDays(String path, int days) throws Exception {
        Path file = users.home("KSD_SFTPSIMPEL").resolve(path);
        Files.writeString(file, path);
        Files.setLastModifiedTime(file, FileTime.from(NOW.minus(Duration.ofDays(days))));
        return file;
    }
}

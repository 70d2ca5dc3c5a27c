package dk.sf1820.app.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13: the first process owns a work directory, the next ones join it under their own numbers. */
class SharedWorkDirectoryTest {

    @TempDir
    Path work;

    @Test
    void theFirstClaimOwnsTheNextJoinAndAReleasedNumberIsTakenAgain() {
        SharedWorkDirectory first = SharedWorkDirectory.claim(work);
        SharedWorkDirectory second = SharedWorkDirectory.claim(work);
        SharedWorkDirectory third = SharedWorkDirectory.claim(work);
        try {
            assertThat(first.owner()).isTrue();
            assertThat(second.owner()).isFalse();
            assertThat(second.instance()).isEqualTo(2);
            assertThat(third.instance()).isEqualTo(3);

            second.release();
            SharedWorkDirectory again = SharedWorkDirectory.claim(work);
            assertThat(again.instance())
                    .as("a restarted second instance keeps its number")
                    .isEqualTo(2);
            again.release();
        } finally {
            first.release();
            third.release();
        }
        SharedWorkDirectory next = SharedWorkDirectory.claim(work);
        assertThat(next.owner())
                .as("the owner's successor is the next process to start")
                .isTrue();
        next.release();
    }

    @Test
    void onlyTheOwnerRecordsAndEveryoneReadsIt() {
        SharedWorkDirectory owner = SharedWorkDirectory.claim(work);
        SharedWorkDirectory joined = SharedWorkDirectory.claim(work);
        try {
            Properties settings = new Properties();
            settings.setProperty(EmbeddedInstances.SFTP_PORT, "2222");
            owner.record(settings);
            assertThat(joined.record().getProperty(EmbeddedInstances.SFTP_PORT)).isEqualTo("2222");
            assertThatThrownBy(() -> joined.record(settings)).hasMessageContaining("only the work directory's owner");
        } finally {
            owner.release();
            joined.release();
        }
    }
}

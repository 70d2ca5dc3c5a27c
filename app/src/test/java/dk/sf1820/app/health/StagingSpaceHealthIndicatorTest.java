package dk.sf1820.app.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

class StagingSpaceHealthIndicatorTest {

    @TempDir
    Path dir;

    @Test
    void downBelowTheMinimumFreeSpaceUpAboveIt() throws IOException {
        Path staging = Files.createDirectories(dir.resolve("staging"));
        long free = Files.getFileStore(staging).getUsableSpace();

        Health short_ = new StagingSpaceHealthIndicator(staging, DataSize.ofBytes(free * 2)).health();
        assertThat(short_.getStatus()).isEqualTo(Status.DOWN);
        assertThat(short_.getDetails())
                .containsEntry("path", staging.toString())
                .containsKey("freeBytes")
                .containsEntry("minFreeBytes", free * 2);

        assertThat(new StagingSpaceHealthIndicator(staging, DataSize.ofMegabytes(1))
                        .health()
                        .getStatus())
                .isEqualTo(Status.UP);
    }

    @Test
    void aStagingAreaNotCreatedYetIsMeasuredWhereItWillBe() {
        Health health =
                new StagingSpaceHealthIndicator(dir.resolve("not/yet/staging"), DataSize.ofMegabytes(1)).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails())
                .containsEntry("path", dir.resolve("not/yet/staging").toString());
    }
}

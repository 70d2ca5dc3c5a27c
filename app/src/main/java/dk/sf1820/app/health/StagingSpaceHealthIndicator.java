package dk.sf1820.app.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.util.unit.DataSize;

/**
 * Free space of the staging area, where extracts and packages are written: DOWN below the minimum,
 * before a packaging runs out of disk halfway. A staging area not created yet is measured on the
 * nearest folder above it that exists (the file system it will be created on).
 */
class StagingSpaceHealthIndicator implements HealthIndicator {

    private final Path staging;
    private final DataSize minFree;

    StagingSpaceHealthIndicator(Path staging, DataSize minFree) {
        this.staging = staging.toAbsolutePath().normalize();
        this.minFree = minFree;
    }

    @Override
    public Health health() {
        Path measured = staging;
        while (measured != null && !Files.exists(measured)) {
            measured = measured.getParent();
        }
        if (measured == null) {
            return Health.down()
                    .withDetail("path", staging.toString())
                    .withDetail("error", "no such folder")
                    .build();
        }
        try {
            long free = Files.getFileStore(measured).getUsableSpace();
            Health.Builder health = free >= minFree.toBytes() ? Health.up() : Health.down();
            return health.withDetail("path", staging.toString())
                    .withDetail("freeBytes", free)
                    .withDetail("minFreeBytes", minFree.toBytes())
                    .build();
        } catch (IOException e) {
            return Health.down()
                    .withDetail("path", staging.toString())
                    .withDetail("error", e.toString())
                    .build();
        }
    }
}

package dk.sf1820.schemas.events.tools;

import dk.sf1820.schemas.events.Events;
import dk.sf1820.schemas.events.SchemaHistory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Releases the event schemas: writes each one whose current schema differs from its newest released
 * version as the next version, {@code src/main/avro/history/<Event>/v<N+1>.avsc}, complete in itself.
 * A tool, not a test: it runs only when asked, with
 * <pre>./mvnw -B -q -pl schemas test -Dtest=ReleaseSchemas -Dsf1820.release=true</pre>
 * then regenerate the fixtures ({@link WriteFixtures}) and commit both. Releasing twice changes nothing.
 */
@EnabledIfSystemProperty(named = "sf1820.release", matches = "true")
class ReleaseSchemas {

    static final Path HISTORY = Path.of("src/main/avro/history");

    @Test
    void release() throws IOException {
        for (var type : Events.TYPES) {
            Schema current = Events.schemaOf(type);
            List<SchemaHistory.Version> released = SchemaHistory.of(current.getName());
            if (!released.isEmpty()
                    && released.get(released.size() - 1).schema().equals(current)) {
                continue;
            }
            Path file = HISTORY.resolve(current.getName()).resolve("v" + (released.size() + 1) + ".avsc");
            Files.createDirectories(file.getParent());
            Files.writeString(file, current.toString(true) + "\n", StandardCharsets.UTF_8);
            System.out.println("released " + file);
        }
    }
}

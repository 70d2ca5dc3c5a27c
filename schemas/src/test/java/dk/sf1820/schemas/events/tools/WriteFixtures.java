package dk.sf1820.schemas.events.tools;

import dk.sf1820.schemas.events.Events;
import dk.sf1820.schemas.events.SchemaHistory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the committed fixtures: every event as a released version wrote it, single-object encoded as
 * {@code EventSerializer} does, to {@code src/test/resources/fixtures/v<N>/<Event>.bin}, with the values
 * of {@link FixtureValues}. It writes from the released schema, not the generated classes, so it can
 * write an old version after the classes have moved on. A tool, not a test: it runs only when asked,
 * after a release ({@link ReleaseSchemas}):
 * <pre>./mvnw -B -q -pl schemas test -Dtest=WriteFixtures -Dsf1820.fixtures.version=1</pre>
 * Fixtures of a released version never change: write only the new version's, and commit them.
 */
@EnabledIfSystemProperty(named = "sf1820.fixtures.version", matches = "\\d+")
class WriteFixtures {

    static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    @Test
    void write() throws IOException {
        int number = Integer.parseInt(System.getProperty("sf1820.fixtures.version"));
        Path dir = Files.createDirectories(FIXTURES.resolve("v" + number));
        for (var type : Events.TYPES) {
            String event = Events.schemaOf(type).getName();
            var versions = SchemaHistory.of(event);
            if (versions.size() < number) {
                continue; // this event has no such version yet
            }
            var version = versions.get(number - 1);
            ByteBuffer bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), version.schema())
                    .encode(FixtureValues.record(version.schema()));
            Path file = dir.resolve(event + ".bin");
            Files.write(
                    file,
                    java.util.Arrays.copyOfRange(
                            bytes.array(),
                            bytes.arrayOffset() + bytes.position(),
                            bytes.arrayOffset() + bytes.limit()));
            System.out.println("wrote " + file + " (" + version.file() + ")");
        }
    }
}

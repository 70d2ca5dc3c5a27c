package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alert rules in {@code ops/prometheus} are valid and do what their promtool unit tests say
 * (Debian's {@code prometheus} package brings {@code promtool}; {@code .ci/run} installs it).
 */
class OpsRulesTest {

    private static final Path RULES = Path.of("..", "ops", "prometheus");

    @Test
    void alertRulesPassTheirPromtoolTests() throws Exception {
        String promtool = promtool();
        assertThat(run(promtool, "check", "rules", "sf1820-alerts.yml")).contains("SUCCESS");
        assertThat(run(promtool, "test", "rules", "sf1820-alerts.test.yml")).contains("SUCCESS");
    }

    private static String promtool() {
        String path = System.getenv().getOrDefault("PATH", "");
        String found = List.of(path.split(java.io.File.pathSeparator)).stream()
                .map(dir -> Path.of(dir, "promtool"))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst()
                .orElse(null);
        assumeTrue(found != null, "promtool not installed (Debian package prometheus): alert rules not tested");
        return found;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(RULES.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("promtool finished")
                .isTrue();
        assertThat(process.exitValue())
                .as("promtool %s:%n%s", String.join(" ", command), output)
                .isZero();
        return output;
    }
}

package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandsTest {

    private final Commands.Io io = new Commands.Io(System.out, System.err, List.of());

    @Test
    void aCommandHandsOverItsOwnOptionsAsGivenByLongName() {
        Commands.Serviceplatform serviceplatform = new Commands.Serviceplatform(io);
        new CommandLine(serviceplatform)
                .parseArgs("--scan-interval", "5m", "--port", "0", "--business-receipts", "--work-dir", "w");

        assertThat(serviceplatform.ownOptions())
                .containsExactly(entry("port", "0"), entry("scan-interval", "5m"), entry("business-receipts", "true"));
    }

    @Test
    void anOptionTheCommandUsesItselfIsNotHandedOver() {
        Commands.Submit submit = new Commands.Submit(io);
        new CommandLine(submit).parseArgs("--fagsystem", "KSD", "--period", "M03", "--wait", "x.csv");

        assertThat(submit.ownOptions("wait"))
                .containsExactly(entry("fagsystem", "KSD"), entry("period", "M03"), entry("resend", "false"));
    }

    private static Map.Entry<String, String> entry(String key, String value) {
        return Map.entry(key, value);
    }
}

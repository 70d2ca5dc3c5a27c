package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.receipts.ReceiptTrackerProperties;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/** Issue 11: the tracker sweeps and polls the folders the transporter uses, set once. */
class SenderFoldersSettingTest {

    @Test
    void theTrackerFollowsTheTransportersFolders() throws IOException {
        ReceiptTrackerProperties tracker =
                trackerWith(Map.of("sf1820.transporter.out-dir", "/SENT", "sf1820.transporter.in-dir", "/ANSWERS"));

        assertThat(tracker.outDir()).isEqualTo("/SENT");
        assertThat(tracker.inDir()).isEqualTo("/ANSWERS");
    }

    @Test
    void byDefaultBothUseThePlatformsOutAndIn() throws IOException {
        ReceiptTrackerProperties tracker = trackerWith(Map.of());

        assertThat(tracker.outDir()).isEqualTo("/OUT");
        assertThat(tracker.inDir()).isEqualTo("/IN");
    }

    private static ReceiptTrackerProperties trackerWith(Map<String, Object> settings) throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("settings", settings));
        new YamlPropertySourceLoader()
                .load("application.yml", new ClassPathResource("application.yml"))
                .forEach(environment.getPropertySources()::addLast);
        return Binder.get(environment).bindOrCreate("sf1820.receipt-tracker", ReceiptTrackerProperties.class);
    }
}

package dk.sf1820.receipts;

import dk.sf1820.schemas.registry.FagsystemRegistry;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The receipt tracker as the app runs it, with the standard registry. A test adds the
 * {@code SftpAccounts} the tracker polls: none where no platform is needed, the emulator's otherwise.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ReceiptTrackerConfiguration.class)
class TrackerStage {

    @Bean
    FagsystemRegistry fagsystemRegistry() {
        return FagsystemRegistry.standard();
    }
}

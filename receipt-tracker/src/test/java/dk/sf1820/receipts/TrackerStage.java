package dk.sf1820.receipts;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The receipt tracker as the app runs it (the registry and clock are stage-support's defaults). A test adds the
 * {@code SftpAccounts} the tracker polls: none where no platform is needed, the emulator's otherwise.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ReceiptTrackerConfiguration.class)
public class TrackerStage {}

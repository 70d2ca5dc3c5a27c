package dk.sf1820.receipts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

class ReceiptTrackerPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(PropertiesOnly.class);

    @Test
    void defaultsFollowTheProtocol() {
        context.run(c -> {
            ReceiptTrackerProperties properties = c.getBean(ReceiptTrackerProperties.class);
            assertThat(properties.pollInterval()).isEqualTo(Duration.ofMinutes(1));
            assertThat(properties.timeout())
                    .as("three 10-minute platform scans")
                    .isEqualTo(Duration.ofMinutes(30));
            assertThat(properties.forgetAfter()).isGreaterThan(Duration.ofDays(30));
            assertThat(properties.senders()).isEmpty();
            assertThat(properties.applicationId()).isEqualTo("sf1820-receipt-tracker");
            assertThat(properties.orphanAge()).isEqualTo(Duration.ofHours(1));
            assertThat(properties.deadlineWarningAfter())
                    .as("the platform warns 10 days before its 30")
                    .isEqualTo(Duration.ofDays(20));
            assertThat(properties.housekeepingInterval()).isEqualTo(Duration.ofMinutes(10));
            assertThat(properties.archiveDir()).isNull();
            assertThat(properties.folders()).isEqualTo(new SenderFolders("/OUT", "/IN"));
        });
    }

    /** Issue 13: by default every sender's duties follow Kafka's group assignment, so one instance does them. */
    @Test
    void sendersAreSharedOutByTheDutiesGroupUnlessToldOtherwise() {
        context.run(c -> assertThat(c.getBean(ReceiptTrackerProperties.class).ownership())
                .isEqualTo(new ReceiptTrackerProperties.Ownership(
                        ReceiptTrackerProperties.OwnershipMode.GROUP,
                        "sf1820.receipt-tracker.duties",
                        12,
                        "sf1820-receipt-tracker-duties")));
        context.withPropertyValues("sf1820.receipt-tracker.ownership.mode=all")
                .run(c -> assertThat(c.getBean(ReceiptTrackerProperties.class)
                                .ownership()
                                .mode())
                        .isEqualTo(ReceiptTrackerProperties.OwnershipMode.ALL));
        context.withPropertyValues("sf1820.receipt-tracker.ownership.partitions=0")
                .run(c -> assertThat(c).getFailure().rootCause().hasMessageContaining("ownership.partitions"));
    }

    @Test
    void takesTheSendersFoldersFromItsSettings() {
        context.withPropertyValues("sf1820.receipt-tracker.out-dir=/SENT", "sf1820.receipt-tracker.in-dir=/ANSWERS")
                .run(c -> assertThat(c.getBean(ReceiptTrackerProperties.class).folders())
                        .isEqualTo(new SenderFolders("/SENT", "/ANSWERS")));
    }

    @Test
    void refusesARelativeFolder() {
        context.withPropertyValues("sf1820.receipt-tracker.out-dir=OUT")
                .run(c -> assertThat(c)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("outDir")
                        .hasMessageContaining("must be an absolute SFTP path such as /OUT"));
    }

    @Test
    void refusesAForgetAfterShorterThanThePlatformKeepsFiles() {
        context.withPropertyValues("sf1820.receipt-tracker.forget-after=7d")
                .run(c -> assertThat(c).getFailure().rootCause().hasMessageContaining("forgetAfter"));
    }

    @Test
    void refusesANegativePollInterval() {
        context.withPropertyValues("sf1820.receipt-tracker.poll-interval=-1s")
                .run(c -> assertThat(c).getFailure().rootCause().hasMessageContaining("pollInterval"));
    }

    @Test
    void refusesADeadlineWarningAtOrAfterThePlatformsDeletion() {
        context.withPropertyValues("sf1820.receipt-tracker.deadline-warning-after=30d")
                .run(c -> assertThat(c).getFailure().rootCause().hasMessageContaining("deadlineWarningAfter"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ReceiptTrackerProperties.class)
    static class PropertiesOnly {}
}

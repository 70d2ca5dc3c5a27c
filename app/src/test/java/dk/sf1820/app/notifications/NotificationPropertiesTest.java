package dk.sf1820.app.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The mail settings are checked at start-up, naming what is missing or wrong, without Kafka or a mail server. */
class NotificationPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(NotificationProperties.class)
    static class Bound {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Bound.class);

    @Test
    void offByDefaultAndNothingElseNeeded() {
        runner.run(context -> {
            NotificationProperties properties = context.getBean(NotificationProperties.class);
            assertThat(properties.enabled()).isFalse();
            assertThat(properties.smtp().port()).isEqualTo(25);
            assertThat(properties.maxEventAge()).isEqualTo(Duration.ofDays(7));
        });
    }

    @Test
    void switchedOnWithoutServerSenderOrRecipientIsRefusedNamingTheKeys() {
        runner.withPropertyValues("sf1820.notifications.enabled=true").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("sf1820.notifications.enabled=true needs sf1820.notifications.smtp.host, "
                            + "sf1820.notifications.from and at least one sf1820.notifications.to");
        });
        assertThat(complete().missing()).isEmpty();
        assertThat(new NotificationProperties(
                                true,
                                new NotificationProperties.Smtp(" ", 25, null, null, false),
                                "sf1820@kommune.example",
                                java.util.List.of(),
                                Duration.ofDays(7))
                        .missing())
                .containsExactly("sf1820.notifications.smtp.host", "sf1820.notifications.to");
    }

    @Test
    void aCompleteSettingIsAccepted() {
        runner.withPropertyValues(
                        "sf1820.notifications.enabled=true",
                        "sf1820.notifications.smtp.host=mail.kommune.example",
                        "sf1820.notifications.smtp.port=587",
                        "sf1820.notifications.from=sf1820@kommune.example",
                        "sf1820.notifications.to=drift@kommune.example,vagt@kommune.example")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(NotificationProperties.class).to())
                            .containsExactly("drift@kommune.example", "vagt@kommune.example");
                });
    }

    @Test
    void aBadAddressOrPortIsRefused() {
        runner.withPropertyValues("sf1820.notifications.to=not an address")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .hasMessageContaining("sf1820.notifications.to"));
        runner.withPropertyValues("sf1820.notifications.smtp.port=0")
                .run(context ->
                        assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("smtp.port"));
        runner.withPropertyValues("sf1820.notifications.max-event-age=0s")
                .run(context -> assertThat(context.getStartupFailure())
                        .rootCause()
                        .hasMessageContaining("max-event-age must be positive"));
    }

    @Test
    void thePasswordIsNeverPrinted() {
        NotificationProperties.Smtp smtp = new NotificationProperties.Smtp("mail", 587, "sf1820", "s3cret", true);
        assertThat(smtp.toString()).doesNotContain("s3cret").contains("password=***");
    }

    private static NotificationProperties complete() {
        return new NotificationProperties(
                true,
                new NotificationProperties.Smtp("mail", 25, null, null, false),
                "sf1820@kommune.example",
                java.util.List.of("drift@kommune.example"),
                Duration.ofDays(7));
    }
}

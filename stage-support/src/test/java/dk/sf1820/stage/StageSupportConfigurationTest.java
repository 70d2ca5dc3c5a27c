package dk.sf1820.stage;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The registry and the clock are defaults: present without a declaration, replaced by one. */
class StageSupportConfigurationTest {

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(StageSupportConfiguration.class));

    @Test
    void withoutDeclarationsEveryStageGetsTheSystemClockInUtcAndTheShippedRegistry() {
        runner.run(context -> {
            assertThat(context.getBean(Clock.class).getZone()).isEqualTo(ZoneOffset.UTC);
            assertThat(context.getBean(FagsystemRegistry.class).withExtract())
                    .extracting(Fagsystem::code)
                    .containsExactly("KSD", "DUBU", "KY", "FBS", "KP");
        });
    }

    @Test
    void aDeclaredClockOrRegistryReplacesTheDefault() {
        Clock fixed = Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC);
        FagsystemRegistry onlyKsd =
                new FagsystemRegistry(List.of(FagsystemRegistry.standard().requireExtract("KSD")));
        runner.withBean(Clock.class, () -> fixed)
                .withBean(FagsystemRegistry.class, () -> onlyKsd)
                .run(context -> {
                    assertThat(context.getBeansOfType(Clock.class)).hasSize(1);
                    assertThat(context.getBean(Clock.class)).isSameAs(fixed);
                    assertThat(context.getBean(FagsystemRegistry.class)).isSameAs(onlyKsd);
                });
    }
}

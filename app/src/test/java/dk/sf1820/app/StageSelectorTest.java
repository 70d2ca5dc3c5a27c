package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sf1820.packager.PackagerConfiguration;
import dk.sf1820.schemas.PipelineStage;
import dk.sf1820.transporter.TransporterConfiguration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** Issue 11: the stages come from one list, {@link PipelineStage}; unset means every one of them. */
class StageSelectorTest {

    @Test
    void unsetRunsEveryStageInPipelineOrder() {
        assertThat(select(new MockEnvironment()))
                .containsExactlyElementsOf(Arrays.stream(PipelineStage.values())
                        .map(StageConfigurations::of)
                        .map(Class::getName)
                        .toList());
    }

    @Test
    void namedStagesOnly() {
        assertThat(select(new MockEnvironment().withProperty("sf1820.stages", " Packager ,transporter,packager")))
                .containsExactly(PackagerConfiguration.class.getName(), TransporterConfiguration.class.getName());
        assertThat(select(new MockEnvironment().withProperty("sf1820.stages", "")))
                .isEmpty();
    }

    @Test
    void anUnknownStageIsRefusedNamingTheSettingAndTheKnownStages() {
        assertThatThrownBy(() -> select(new MockEnvironment().withProperty("sf1820.stages", "packer")))
                .hasMessage("sf1820.stages: unknown stage 'packer'; known: extractor, packager, transporter, "
                        + "receipt-tracker, dst-receiver, notifier");
    }

    private static String[] select(MockEnvironment environment) {
        StageSelector selector = new StageSelector();
        selector.setEnvironment(environment);
        return selector.selectImports(null);
    }
}

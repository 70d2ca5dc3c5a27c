package dk.sf1820.app.config;

import dk.sf1820.schemas.PipelineStage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * This process's own settings, as opposed to a stage's. Validated when bound, each problem named by its
 * key. Stage selection and the instance's identity need them before any bean exists, so they bind them
 * with {@link #of(ConfigurableEnvironment)}; everything later takes the bean.
 *
 * @param workDir where the embedded default keeps its broker data, emulator folders, keys, staging area and
 *        logs (environment variable SF1820_WORK_DIR)
 * @param stages the stages this process runs, comma-separated (the PipelineStage keys); every stage when
 *        unset, none when empty
 * @param instanceId this instance's stable name, its group.instance.id in every consumer group (static
 *        membership: a restart resumes at once). Default: host name and a digest of the work directory. Two
 *        instances on one host with the same work directory need distinct ids.
 */
@ConfigurationProperties(ProcessProperties.PREFIX)
public record ProcessProperties(@DefaultValue("work") Path workDir, List<String> stages, String instanceId) {

    static final String PREFIX = "sf1820";
    public static final String STAGES = PREFIX + ".stages";
    static final String INSTANCE_ID = PREFIX + ".instance-id";
    static final String VALID_INSTANCE_ID = "[A-Za-z0-9._-]{1,200}";

    public ProcessProperties {
        instanceId = instanceId == null || instanceId.isBlank() ? null : instanceId.strip();
        if (instanceId != null && !instanceId.matches(VALID_INSTANCE_ID)) {
            throw new IllegalArgumentException(INSTANCE_ID + ": '" + instanceId + "' must be 1 to 200 letters, "
                    + "digits, '.', '_' or '-' (it names this instance's members in every consumer group)");
        }
        stages = stages == null
                ? null
                : stages.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (stages != null) {
            stages.forEach(ProcessProperties::stage);
        }
    }

    /**
     * The settings as bound from the environment.
     *
     * @throws IllegalArgumentException naming the key of an invalid setting
     */
    public static ProcessProperties of(ConfigurableEnvironment environment) {
        try {
            return Binder.get(environment)
                    .bind(PREFIX, ProcessProperties.class)
                    .orElseGet(() -> new ProcessProperties(Path.of("work"), null, null));
        } catch (BindException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
                cause = cause.getCause();
            }
            throw cause instanceof IllegalArgumentException invalid ? invalid : e;
        }
    }

    /** The stages to run, in pipeline order when unset, else as named, each once. */
    public List<PipelineStage> selectedStages() {
        return stages == null
                ? Arrays.asList(PipelineStage.values())
                : stages.stream().map(ProcessProperties::stage).distinct().toList();
    }

    private static PipelineStage stage(String key) {
        try {
            return PipelineStage.of(key);
        } catch (IllegalArgumentException e) {
            // not chained: a failed start reports its root cause, and this one names the key
            throw new IllegalArgumentException(STAGES + ": " + e.getMessage());
        }
    }
}

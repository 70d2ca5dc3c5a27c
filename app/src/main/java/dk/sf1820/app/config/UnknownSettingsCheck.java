package dk.sf1820.app.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Refuses, before anything starts, every {@code sf1820.*} setting no part of the application knows,
 * from any property source (command line, {@code SF1820_*} environment variables, system properties,
 * application.yml and every file named by {@code spring.config.*}), naming the closest known
 * setting: a typo such as {@code scan-intervall} would otherwise leave the default silently in force.
 * Runs after the configuration files are loaded and before the embedded broker is started.
 */
public class UnknownSettingsCheck implements EnvironmentPostProcessor, Ordered {

    private static final String ENVIRONMENT_PREFIX = KnownSettings.PREFIX.toUpperCase(Locale.ROOT) + "_";
    /** Environment variables of the {@code ./sf1820} launcher itself, not settings. */
    private static final java.util.Set<String> LAUNCHER_VARIABLES = java.util.Set.of("SF1820_JAVA_OPTS");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        List<String> problems = problems(environment, KnownSettings.fromClasspath(classLoader(application)));
        if (!problems.isEmpty()) {
            throw new UnknownSettingException(problems);
        }
    }

    static List<String> problems(ConfigurableEnvironment environment, KnownSettings known) {
        List<String> problems = new ArrayList<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)
                    || ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
                continue;
            }
            for (String key : enumerable.getPropertyNames()) {
                SettingName name = settingName(source, key);
                if (name != null && !known.isKnown(name)) {
                    problems.add("unknown setting " + key + " (" + describe(source) + ")"
                            + known.closest(name)
                                    .map(c -> "; did you mean " + c + "?")
                                    .orElse(""));
                }
            }
        }
        return problems;
    }

    private static SettingName settingName(PropertySource<?> source, String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (source instanceof SystemEnvironmentPropertySource && key.indexOf('.') < 0) {
            String upper = key.toUpperCase(Locale.ROOT);
            return upper.startsWith(ENVIRONMENT_PREFIX) && !LAUNCHER_VARIABLES.contains(upper)
                    ? SettingName.environmentVariable(key)
                    : null;
        }
        return lower.startsWith(KnownSettings.PREFIX + ".") || lower.startsWith(KnownSettings.PREFIX + "[")
                ? SettingName.property(key)
                : null;
    }

    private static String describe(PropertySource<?> source) {
        return switch (source.getName()) {
            case "commandLineArgs" -> "command line";
            case "systemEnvironment" -> "environment";
            case "systemProperties" -> "system property";
            default -> source.getName();
        };
    }

    private static ClassLoader classLoader(SpringApplication application) {
        ClassLoader loader = application.getClassLoader();
        return loader != null ? loader : UnknownSettingsCheck.class.getClassLoader();
    }

    /** After the configuration files are loaded (ConfigDataEnvironmentPostProcessor) and everything else. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}

package dk.sf1820.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.json.JsonParserFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * Issue 13, "Deployment": every setting {@code docker-compose.yml} gives a service
 * ({@code SF1820_*}, and Spring's {@code SPRING_*}, {@code SERVER_*}, {@code MANAGEMENT_*}) and every
 * key of the example {@code secrets/*.yml} names a property that exists. A typo there would stop the
 * process at start-up (sf1820's keys) or, for Spring's, be ignored without a word.
 */
class DockerComposeSettingsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private final KnownSettings known = KnownSettings.fromClasspath(getClass().getClassLoader());

    @Test
    void everyServiceSettingNamesAPropertyThatExists() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = cast(compose.get("services"));
        assertThat(services)
                .containsKeys(
                        "kafka-1",
                        "kafka-2",
                        "kafka-3",
                        "extractor",
                        "packager",
                        "transporter",
                        "receipt-tracker",
                        "serviceplatform",
                        "dst-receiver");
        Set<String> spring = springEnvironmentNames();
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            for (String variable : environment(service.getValue()).keySet()) {
                if (variable.startsWith("SF1820_")) {
                    checked++;
                    if (!known.isKnown(SettingName.environmentVariable(variable))) {
                        unknown.add(service.getKey() + ": " + variable);
                    }
                } else if (variable.matches("(SPRING|SERVER|MANAGEMENT)_.*")) {
                    checked++;
                    if (spring.stream().noneMatch(name -> variable.equals(name) || variable.startsWith(name + "_"))) {
                        unknown.add(service.getKey() + ": " + variable);
                    }
                }
            }
        }
        assertThat(checked).as("settings checked").isGreaterThan(20);
        assertThat(unknown)
                .as("settings in docker-compose.yml that name no property")
                .isEmpty();
    }

    @Test
    void everyKeyOfTheExampleSecretsNamesAPropertyThatExists() throws IOException {
        List<String> unknown = new ArrayList<>();
        for (String file : List.of("sf1820.yml", "dst-receiver.yml")) {
            Map<String, Object> yaml =
                    new Yaml().load(Files.readString(ROOT.resolve("secrets").resolve(file)));
            Map<String, String> flat = new LinkedHashMap<>();
            flatten("", yaml, flat);
            flat.keySet().stream()
                    .filter(k -> k.startsWith("sf1820."))
                    .filter(k -> !known.isKnown(SettingName.property(k)))
                    .forEach(k -> unknown.add(file + ": " + k));
        }
        assertThat(unknown).as("keys in secrets/ that name no property").isEmpty();
    }

    /** A wrong name is caught: the check is not vacuous. */
    @Test
    void aMisspelledVariableIsUnknown() {
        assertThat(known.isKnown(SettingName.environmentVariable("SF1820_KAFKA_REPLICATION_FACTOR")))
                .isTrue();
        assertThat(known.isKnown(SettingName.environmentVariable("SF1820_KAFKA_MIN_INSYNC_REPLICAS")))
                .isTrue();
        assertThat(known.isKnown(SettingName.environmentVariable("SF1820_KAFKA_REPLICATION_FACTORS")))
                .isFalse();
    }

    private static Map<String, Object> environment(Map<String, Object> service) {
        Object environment = service.get("environment");
        if (environment instanceof Map<?, ?> map) {
            return cast(map);
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        if (environment instanceof List<?> list) {
            list.forEach(entry -> {
                String[] parts = entry.toString().split("=", 2);
                variables.put(parts[0], parts.length > 1 ? parts[1] : "");
            });
        }
        return variables;
    }

    private static void flatten(String prefix, Object value, Map<String, String> into) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flatten(prefix.isEmpty() ? k.toString() : prefix + "." + k, v, into));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                flatten(prefix + "[" + i + "]", list.get(i), into);
            }
        } else {
            into.put(prefix, String.valueOf(value));
        }
    }

    /**
     * Spring's own properties as environment variables (dots to underscores, dashes dropped or, as Spring
     * also accepts, turned into underscores), from every configuration metadata file on the classpath.
     */
    private static Set<String> springEnvironmentNames() throws IOException {
        Set<String> names = new HashSet<>();
        for (String metadata : List.of(
                "META-INF/spring-configuration-metadata.json",
                "META-INF/additional-spring-configuration-metadata.json")) {
            Enumeration<URL> files =
                    DockerComposeSettingsTest.class.getClassLoader().getResources(metadata);
            while (files.hasMoreElements()) {
                try (InputStream in = files.nextElement().openStream()) {
                    Object properties = JsonParserFactory.getJsonParser()
                            .parseMap(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                            .get("properties");
                    if (properties instanceof List<?> list) {
                        for (Object property : list) {
                            String name = String.valueOf(((Map<?, ?>) property).get("name"));
                            String upper = name.toUpperCase(Locale.ROOT).replace('.', '_');
                            names.add(upper.replace("-", ""));
                            names.add(upper.replace('-', '_'));
                        }
                    }
                }
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}

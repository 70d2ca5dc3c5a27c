package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * A value from outside (a dropped file's name, an operator's reason) can hold a line break. In the plain-text
 * log formats it must not start a line of its own, which would read as a second entry of the log: a forged one.
 * The JSON formats escape it by themselves.
 */
class LogLinePatternTest {

    @ParameterizedTest
    @ValueSource(strings = {"logging.pattern.console", "logging.pattern.file"})
    void aLineBreakInAMessageNeverStartsAnotherLogLine(String key) throws IOException {
        String pattern = setting(key);
        LoggerContext context = new LoggerContext();
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern(pattern);
        layout.start();
        LoggingEvent event = new LoggingEvent();
        event.setLoggerName("dk.sf1820.extractor.drop.DropFolderWatcher");
        event.setLevel(Level.WARN);
        event.setMessage("drop file refused file=/drop/a.csv\n2026-12-02 04:00:00,000 INFO  [main]"
                + " [transferId=x] forged - delivered\r\nreason=\"empty\"");
        event.setThreadName("main");
        event.setMDCPropertyMap(Map.of("transferId", "t-1"));
        event.setTimeStamp(0);

        String line = layout.doLayout(event);

        assertThat(line).endsWith(System.lineSeparator());
        assertThat(line.substring(0, line.length() - System.lineSeparator().length()))
                .as(line)
                .doesNotContain("\n", "\r")
                .contains("drop file refused file=/drop/a.csv\\n2026-12-02 04:00:00,000 INFO", "\\r\\nreason=");
    }

    private static String setting(String key) throws IOException {
        for (PropertySource<?> source :
                new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))) {
            Object value = source.getProperty(key);
            if (value != null) {
                return value.toString();
            }
        }
        throw new IllegalStateException(key + " is not in application.yml");
    }
}

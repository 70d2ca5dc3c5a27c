package dk.sf1820.sftp;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Refuses to start when an SFTP key passphrase is given as a command-line argument or a JVM system
 * property: both are readable by every local user ({@code ps}, {@code /proc/<pid>/cmdline}) and
 * end up in shell histories. The passphrase belongs in {@code passphrase-file} or {@code passphrase-env}.
 */
public class PassphraseOnCommandLineCheck implements EnvironmentPostProcessor {

    private static final List<String> VISIBLE_SOURCES = List.of(
            CommandLinePropertySource.COMMAND_LINE_PROPERTY_SOURCE_NAME,
            StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        for (String sourceName : VISIBLE_SOURCES) {
            PropertySource<?> source = environment.getPropertySources().get(sourceName);
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                Stream.of(enumerable.getPropertyNames())
                        .filter(PassphraseOnCommandLineCheck::isPassphrase)
                        .findFirst()
                        .ifPresent(name -> {
                            throw new IllegalStateException("Refusing " + name + " on the command line, where other"
                                    + " users and the shell history can read it: put the passphrase in a file readable"
                                    + " only by this user and set sf1820.sftp.accounts[N].passphrase-file, or name an"
                                    + " environment variable with sf1820.sftp.accounts[N].passphrase-env");
                        });
            }
        }
    }

    private static boolean isPassphrase(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return key.startsWith("sf1820.sftp.") && key.endsWith(".passphrase");
    }
}

package dk.sf1820.app.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;

/**
 * A setting's name as it was given: a property name ({@code sf1820.embedded.scanInterval},
 * {@code sf1820.sftp.accounts[0].user}) or an environment variable ({@code SF1820_EMBEDDED_SCANINTERVAL}).
 *
 * @param given the name exactly as written
 * @param elements its elements as written (for suggestions)
 * @param tokens its elements in uniform form (lower case, no dashes) for relaxed comparison
 * @param environment whether it is an environment variable, whose underscores may separate elements
 *        or words within one
 */
public record SettingName(String given, List<String> elements, List<String> tokens, boolean environment) {

    public static SettingName property(String name) {
        ConfigurationPropertyName adapted = ConfigurationPropertyName.adapt(name, '.');
        List<String> elements = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < adapted.getNumberOfElements(); i++) {
            elements.add(adapted.getElement(i, Form.ORIGINAL));
            tokens.add(SettingPattern.uniform(adapted.getElement(i, Form.UNIFORM)));
        }
        return new SettingName(name, elements, tokens, false);
    }

    public static SettingName environmentVariable(String name) {
        List<String> elements =
                Arrays.stream(name.split("_")).filter(s -> !s.isEmpty()).toList();
        return new SettingName(
                name,
                elements,
                elements.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList(),
                true);
    }

    /** The name in a form comparable with known names written in kebab case. */
    String comparable() {
        return environment ? given.toLowerCase(Locale.ROOT).replace('_', '.') : given;
    }
}

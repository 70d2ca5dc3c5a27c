package dk.sf1820.app.config;

import java.util.List;

/** Settings under {@code sf1820.} that nothing reads, each with the closest known one. */
public class UnknownSettingException extends IllegalArgumentException {

    private final List<String> problems;

    public UnknownSettingException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}

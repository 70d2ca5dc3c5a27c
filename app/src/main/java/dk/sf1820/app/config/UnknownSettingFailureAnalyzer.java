package dk.sf1820.app.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports unknown settings as a configuration mistake instead of a stack trace. */
public class UnknownSettingFailureAnalyzer extends AbstractFailureAnalyzer<UnknownSettingException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnknownSettingException cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "Correct or remove the setting; known settings are those of "
                        + "app/src/main/resources/application.yml and each module's *Properties class.",
                cause);
    }
}

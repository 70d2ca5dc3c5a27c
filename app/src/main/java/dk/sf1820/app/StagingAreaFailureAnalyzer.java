package dk.sf1820.app;

import dk.sf1820.app.StagingAreaCheck.StagingAreaNotWritableException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a staging area that cannot be written as a set-up mistake instead of a stack trace. */
public class StagingAreaFailureAnalyzer extends AbstractFailureAnalyzer<StagingAreaNotWritableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StagingAreaNotWritableException cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "Make the staging area writable by this process " + "(README, \"Running several instances\").",
                cause);
    }
}

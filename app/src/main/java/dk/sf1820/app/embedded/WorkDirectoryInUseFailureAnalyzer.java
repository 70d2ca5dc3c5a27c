package dk.sf1820.app.embedded;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a work directory in use by another process as what to do, not as a stack trace. */
public class WorkDirectoryInUseFailureAnalyzer extends AbstractFailureAnalyzer<WorkDirectoryInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, WorkDirectoryInUseException cause) {
        return new FailureAnalysis(
                cause.getMessage(),
                "A second ./sf1820 run on the same work directory joins the "
                        + "running one as another instance (README, \"Running several instances\"); other commands with "
                        + "their own emulator need a work directory of their own.",
                cause);
    }
}

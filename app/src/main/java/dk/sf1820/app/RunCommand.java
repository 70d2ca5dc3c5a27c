package dk.sf1820.app;

import java.util.List;
import java.util.Map;

/** Runs the configured stages until the process is stopped (SIGTERM or Ctrl-C closes the context cleanly). */
final class RunCommand {

    private RunCommand() {}

    static int run(List<String> springArgs) {
        ContextLifetime.awaitClose(Sf1820Application.start(true, springArgs, Map.of()));
        return 0;
    }
}

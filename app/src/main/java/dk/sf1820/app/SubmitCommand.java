package dk.sf1820.app;

import dk.sf1820.extractor.DuplicateExtractException;
import dk.sf1820.extractor.ExtractNotAnnouncedException;
import dk.sf1820.extractor.ExtractRequest;
import dk.sf1820.extractor.ExtractSubmitter;
import dk.sf1820.schemas.registry.ExtractRefusedException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ./sf1820 submit --fagsystem KSD --authority 0561 --period M03 [--resend] FILE}: stages the file and
 * publishes ExtractReady; the running pipeline (now or after its next start) delivers it. An extract
 * announced before is refused (exit code 3, naming the earlier transferId) unless {@code --resend}
 * asks for a new delivery on purpose. An extract recorded whose ExtractReady Kafka did not acknowledge
 * exits 4 naming its transferId: nothing is lost, a running extractor's announcer publishes it (or
 * submit it again once Kafka is reachable). With {@code --wait} it follows the transfer to its outcome.
 */
final class SubmitCommand {

    static final int REFUSED = 2;
    static final int DUPLICATE = 3;
    static final int NOT_ANNOUNCED = 4;

    private final PrintStream out;
    private final PrintStream err;

    SubmitCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(Cli.Arguments arguments) {
        return submit(arguments, false);
    }

    /**
     * Submits, then follows the transfer to its outcome ({@code submit --wait}), showing its progress on
     * standard error; standard output still holds only the transferId. Exit code by outcome: 0 delivered,
     * 1 failed, 5 timed out ({@link TransferFollower.Ending}).
     */
    int runAndWait(Cli.Arguments arguments) {
        return submit(arguments, true);
    }

    private int submit(Cli.Arguments arguments, boolean wait) {
        if (arguments.positional().size() != 1) {
            throw new IllegalArgumentException("exactly one FILE is required, got " + arguments.positional());
        }
        String resend = arguments.options().getOrDefault("resend", "false");
        if (!resend.equals("true") && !resend.equals("false")) {
            throw new IllegalArgumentException("--resend takes no value (or =true/=false), got '" + resend + "'");
        }
        ExtractRequest request = new ExtractRequest(
                arguments.require("fagsystem"),
                arguments.require("authority"),
                arguments.require("period"),
                Path.of(arguments.positional().get(0)),
                Boolean.parseBoolean(resend));
        List<String> spring = new ArrayList<>(arguments.spring());
        spring.add("--sf1820.stages=extractor");
        // a one-shot submit neither watches the drop folder nor runs the dataset schedules
        spring.add("--sf1820.extractor.drop-folder.poll-interval=0s");
        spring.add("--sf1820.extractor.schedule-check-interval=0s");
        // nor announces other submissions: that is the running extractor's work
        spring.add("--sf1820.extractor.announcer.interval=0s");
        spring.add("--sf1820.embedded.serviceplatform=false");
        try (ConfigurableApplicationContext context =
                Sf1820Application.start(spring, Map.of("logging.threshold.console", "WARN"))) {
            ExtractSubmitter submitter = context.getBean(ExtractSubmitter.class);
            if (!wait) {
                out.println(submitter.submit(request));
                return 0;
            }
            // made before the submission, so it reads from before the transfer's first event
            try (TransferFollower follower =
                    new TransferFollower(context.getBean(KafkaProperties.class).buildConsumerProperties())) {
                Instant submittedAt = Instant.now();
                String transferId = submitter.submit(request);
                out.println(transferId);
                out.flush();
                SubmitProgress progress = new SubmitProgress(
                        err, err == System.err && System.console() != null, Files.size(request.file()), submittedAt);
                progress.started(transferId);
                return follower.follow(transferId, progress).exitCode;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ExtractNotAnnouncedException e) {
            err.println("sf1820 submit: recorded, not announced yet: " + e.getMessage());
            return NOT_ANNOUNCED;
        } catch (DuplicateExtractException e) {
            err.println("sf1820 submit: duplicate: " + e.getMessage());
            return DUPLICATE;
        } catch (ExtractRefusedException e) {
            err.println("sf1820 submit: refused: " + e.getMessage());
            return REFUSED;
        }
    }
}

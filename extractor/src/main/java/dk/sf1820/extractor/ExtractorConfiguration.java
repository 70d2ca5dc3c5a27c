package dk.sf1820.extractor;

import dk.sf1820.extractor.drop.DoneMarkerWatch;
import dk.sf1820.extractor.drop.DropFolderWatcher;
import dk.sf1820.extractor.query.DataSources;
import dk.sf1820.extractor.query.QueryExtractor;
import dk.sf1820.extractor.query.QuerySchedule;
import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.registry.ExtractSource;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.stage.PollSchedule;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The extractor stage: submission (Java API, CLI, {@code POST /extracts}), the drop folder when
 * {@code sf1820.extractor.drop-folder.dir} is set, and the dataset queries on their schedules. Needs
 * a {@link FagsystemRegistry} and an {@link EventPublisher} from the application, and uses its
 * {@link Clock} when it has one.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ExtractorProperties.class)
public class ExtractorConfiguration {

    @Bean
    SubmissionLedger submissionLedger(ExtractorProperties properties, ObjectProvider<Clock> clock) {
        return new SubmissionLedger(properties.stagingDir(), clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    ExtractStager extractStager(
            FagsystemRegistry registry,
            ExtractorProperties properties,
            SubmissionLedger submissionLedger,
            ObjectProvider<Clock> clock) {
        return new ExtractStager(
                registry, properties.stagingDir(), submissionLedger, clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    ExtractSubmitter extractSubmitter(ExtractStager extractStager, EventPublisher publisher) {
        return new ExtractSubmitter(extractStager, publisher);
    }

    /**
     * Only in a long-running process (one serving HTTP, {@code ./sf1820 run}): a one-shot {@code submit} runs
     * the extractor too, and its member would share the running process's {@code group.instance.id} in the
     * resend group and fence it.
     */
    @Bean
    @ConditionalOnWebApplication
    ResendListener resendListener(ExtractStager extractStager, ExtractSubmitter extractSubmitter) {
        return new ResendListener(extractStager, extractSubmitter);
    }

    @Bean
    ExtractAnnouncer extractAnnouncer(
            SubmissionLedger submissionLedger,
            ExtractSubmitter extractSubmitter,
            ExtractorProperties properties,
            ObjectProvider<Clock> clock) {
        return new ExtractAnnouncer(
                submissionLedger,
                extractSubmitter,
                properties.stagingDir(),
                properties.announcer().grace(),
                clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    PollSchedule extractAnnouncerSchedule(ExtractAnnouncer extractAnnouncer, ExtractorProperties properties) {
        return new PollSchedule(
                "extractor-announcer",
                extractAnnouncer::announceOverdue,
                properties.announcer().interval(),
                Duration.ZERO,
                SmartLifecycle.DEFAULT_PHASE);
    }

    /** Partial staging copies a stopped process left behind: at start-up and then every ten minutes. */
    @Bean
    PollSchedule abandonedPartialsSchedule(ExtractorProperties properties, ObjectProvider<Clock> clock) {
        AbandonedPartials partials =
                new AbandonedPartials(properties.stagingDir(), clock.getIfAvailable(Clock::systemUTC));
        return new PollSchedule(
                "extractor-abandoned-partials",
                partials::deleteAbandoned,
                Duration.ofMinutes(10),
                Duration.ZERO,
                SmartLifecycle.DEFAULT_PHASE);
    }

    /** Only where HTTP is served: a one-shot command of the same instance must not empty the uploads folder. */
    @Bean
    @ConditionalOnWebApplication
    ExtractsController extractsController(
            ExtractSubmitter extractSubmitter,
            ExtractorProperties properties,
            @Value("${sf1820.instance-id:}") String instanceId) {
        return new ExtractsController(
                extractSubmitter, properties.stagingDir(), !instanceId.isBlank() ? instanceId : hostName());
    }

    @Bean
    MultipartRefusals multipartRefusals() {
        return new MultipartRefusals();
    }

    @Bean
    @ConditionalOnExpression("'${sf1820.extractor.drop-folder.dir:}' != ''")
    DropFolderWatcher dropFolderWatcher(
            ExtractorProperties properties,
            ExtractSubmitter extractSubmitter,
            ObjectProvider<Clock> clock,
            @Value("${sf1820.instance-id:}") String instanceId) {
        ExtractorProperties.DropFolder drop = properties.dropFolder();
        // the process's instance id is stable across restarts and distinct between instances, also between
        // several instances on one host (the host name alone made them recover each other's claims)
        String instance = drop.instance() != null && !drop.instance().isBlank()
                ? drop.instance()
                : !instanceId.isBlank() ? instanceId : hostName();
        return new DropFolderWatcher(
                drop.dir(),
                instance,
                drop.quietPeriod(),
                clock.getIfAvailable(Clock::systemUTC),
                request -> extractSubmitter.submit(request, ExtractSource.DROP_FOLDER));
    }

    @Bean
    @ConditionalOnExpression("'${sf1820.extractor.drop-folder.dir:}' != ''")
    PollSchedule dropFolderSchedule(DropFolderWatcher dropFolderWatcher, ExtractorProperties properties) {
        return new PollSchedule(
                "extractor-drop-folder",
                dropFolderWatcher::poll,
                properties.dropFolder().pollInterval(),
                Duration.ZERO,
                SmartLifecycle.DEFAULT_PHASE);
    }

    @Bean
    @ConditionalOnExpression(
            "'${sf1820.extractor.drop-folder.dir:}' != '' && '${sf1820.extractor.drop-folder.watch:true}' == 'true'")
    DoneMarkerWatch dropFolderDoneMarkerWatch(
            @Qualifier("dropFolderSchedule") PollSchedule dropFolderSchedule, ExtractorProperties properties) {
        return new DoneMarkerWatch(properties.dropFolder().dir(), dropFolderSchedule::nudge);
    }

    @Bean(destroyMethod = "close")
    DataSources datasetDataSources() {
        return new DataSources();
    }

    @Bean
    QueryExtractor queryExtractor(
            ExtractorProperties properties,
            FagsystemRegistry registry,
            DataSources datasetDataSources,
            ExtractStager extractStager,
            ExtractSubmitter extractSubmitter) {
        return new QueryExtractor(properties.datasets(), registry, datasetDataSources, extractStager, extractSubmitter);
    }

    @Bean
    QuerySchedule querySchedule(
            ExtractorProperties properties, QueryExtractor queryExtractor, ObjectProvider<Clock> clock) {
        return new QuerySchedule(
                properties.datasets(),
                queryExtractor::run,
                properties.stagingDir(),
                clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    PollSchedule queryScheduleCheck(QuerySchedule querySchedule, ExtractorProperties properties) {
        return new PollSchedule(
                "extractor-query-schedule",
                querySchedule::check,
                properties.datasets().isEmpty() ? Duration.ZERO : properties.scheduleCheckInterval(),
                Duration.ZERO,
                SmartLifecycle.DEFAULT_PHASE);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
        } catch (UnknownHostException e) {
            throw new IllegalStateException(
                    "sf1820.instance-id is unset and the host name is unknown; set it (or"
                            + " sf1820.extractor.drop-folder.instance) to a name distinct between the instances sharing"
                            + " the staging area and the drop folder",
                    e);
        }
    }
}

package dk.sf1820.app;

import dk.sf1820.app.audit.AuditConfiguration;
import dk.sf1820.app.console.ConsoleConfiguration;
import dk.sf1820.app.embedded.EmbeddedKafkaLauncher;
import dk.sf1820.app.embedded.EmbeddedServiceplatformConfiguration;
import dk.sf1820.app.health.HealthConfiguration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * One Spring Boot application that runs any set of stages ({@code sf1820.stages}), by default with
 * the embedded Kafka broker and Serviceplatform emulator, and the command line around it.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({
    PipelineConfiguration.class,
    StageSelector.class,
    EmbeddedServiceplatformConfiguration.class,
    AuditConfiguration.class,
    HealthConfiguration.class,
    ConsoleConfiguration.class
})
public class Sf1820Application {

    public static void main(String[] args) {
        int status = Cli.run(args);
        if (status != Cli.KEEP_RUNNING) {
            System.exit(status);
        }
    }

    /**
     * Starts the application context with the given Spring arguments ({@code --key=value}) and
     * extra defaults, the embedded broker first where enabled; without the HTTP interface.
     */
    public static ConfigurableApplicationContext start(
            List<String> springArgs, java.util.Map<String, Object> defaults, Class<?>... extraSources) {
        return start(false, springArgs, defaults, extraSources);
    }

    /**
     * Starts the application context, with the HTTP interface ({@code server.port}, default 8820)
     * when {@code http} is true: long-running processes serve it, one-shot commands do not.
     */
    public static ConfigurableApplicationContext start(
            boolean http, List<String> springArgs, java.util.Map<String, Object> defaults, Class<?>... extraSources) {
        SpringApplication application = new SpringApplication(Sf1820Application.class);
        application.addPrimarySources(List.of(extraSources));
        application.setWebApplicationType(http ? WebApplicationType.SERVLET : WebApplicationType.NONE);
        application.addListeners(new EmbeddedKafkaLauncher());
        application.setDefaultProperties(defaults);
        return application.run(new ArrayList<>(springArgs).toArray(String[]::new));
    }
}

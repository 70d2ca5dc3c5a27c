package dk.sf1820.app;

import dk.sf1820.schemas.registry.Fagsystem;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The fagsystem registry of this installation.
 *
 * @param fagsystems the fagsystems, replacing the shipped SF1820 defaults when not empty
 *     ({@code sf1820.registry.fagsystems[0].code=KSD}, {@code ...sftp-user=}, {@code ...recipients=}, …)
 */
@ConfigurationProperties("sf1820.registry")
public record RegistryProperties(@DefaultValue List<Fagsystem> fagsystems) {
}

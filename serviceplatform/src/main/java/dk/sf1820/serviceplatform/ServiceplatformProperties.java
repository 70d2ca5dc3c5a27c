package dk.sf1820.serviceplatform;

import dk.sf1820.schemas.sftp.PlatformRetention;
import dk.sf1820.serviceplatform.scan.MetadataForm;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Serviceplatform emulator's settings.
 *
 * @param port SFTP port on 127.0.0.1; 0 picks a free port (read it from the emulator bean)
 * @param root data root holding {@code users/<user>/{IN,OUT}} and the host key; keep it between runs so
 *        clients' known_hosts stay valid
 * @param scanInterval time between trigger scans; the platform's is 10 minutes, 0 scans only on demand
 * @param metadataForm root element of the {@code .metadata} files: {@code trigger} (default: what the
 *        real platform writes and public clients read) or {@code file-metadata} (the contract's)
 * @param retention files left unmodified this long are deleted by housekeeping; the platform's is 30 days
 * @param deletionWarning the owner is warned this long before a deletion; the platform's is 10 days
 * @param usersFile the SFTP users and their public keys ({@link UsersFile}); unset, whoever runs the
 *        emulator registers users itself
 * @param httpPort port of the HTTP control ({@code POST /scan}, {@code POST /housekeeping}) on
 *        127.0.0.1; unset = no HTTP control, 0 = a free port
 * @param businessReceipts also write the contract's {@code BusinessReceipt} per recipient; off by
 *        default, as SF1820 promises only the technical receipt
 * @param ciphers SSH ciphers offered, by SSH name; unset = AES-GCM and AES-CTR ({@link TransportCiphers})
 */
@Validated
@ConfigurationProperties("sf1820.serviceplatform")
public record ServiceplatformProperties(
        @DefaultValue("0") @Min(0) @Max(65535) int port,
        @DefaultValue("data/serviceplatform") @NotNull Path root,
        @DefaultValue("10m") @NotNull Duration scanInterval,
        @DefaultValue("trigger") @NotNull MetadataForm metadataForm,

        @DefaultValue(PlatformRetention.RETENTION_TEXT) @NotNull
        Duration retention,

        @DefaultValue("10d") @NotNull Duration deletionWarning,
        Path usersFile,
        @Min(0) @Max(65535) Integer httpPort,
        @DefaultValue("false") boolean businessReceipts,
        List<String> ciphers) {}

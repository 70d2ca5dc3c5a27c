package dk.sf1820.dst;

import dk.sf1820.schemas.sftp.PlatformFolders;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The recipient side, Danmarks Statistik's fetch of delivered extracts (EP_DST1 Dataudtraek_Hent).
 *
 * @param user the recipient's SFTP user; an account for it must be configured under {@code sf1820.sftp.accounts}
 * @param inDir the recipient's incoming folder, where the platform puts data files and {@code .metadata}
 * @param storeDir where fetched and checked files are kept, as {@code <store-dir>/<sender>/<file>}
 * @param rejectedDir where files that fail a check are kept, with {@code <file>.reason.txt} beside them
 * @param pollInterval pause between two fetches of {@code in-dir}; {@code 0} fetches only on demand
 * @param expectedSenders SFTP users files are accepted from; empty means the sender of every
 *        fagsystem with an extract in the registry
 */
@Validated
@ConfigurationProperties("sf1820.dst-receiver")
public record DstReceiverProperties(
        @DefaultValue("DST-CEMOS-SFTPUsername") @NotBlank String user,

        @DefaultValue(PlatformFolders.IN)
        @Pattern(regexp = PlatformFolders.ABSOLUTE, message = "must be an absolute SFTP path such as /IN")
        String inDir,

        @NotNull Path storeDir,
        @NotNull Path rejectedDir,
        @DefaultValue("1m") @NotNull Duration pollInterval,
        @DefaultValue List<String> expectedSenders) {}

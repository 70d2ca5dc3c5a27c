package dk.sf1820.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a key's passphrase comes from, and the errors that name the account and the source but never the passphrase. */
class SftpAccountTest {

    private static final String SECRET = "tr0ub4dor&3";

    @TempDir
    Path dir;

    @Test
    void passphraseFileLosesOnlyItsTrailingLineBreak() throws Exception {
        Path file = Files.writeString(dir.resolve("passphrase"), " " + SECRET + " \n");

        assertThat(SftpAccount.passphrase("KSD", null, file, null, Map.<String, String>of()::get))
                .isEqualTo(" " + SECRET + " ");
    }

    @Test
    void passphraseEnvReadsTheNamedVariable() {
        assertThat(SftpAccount.passphrase("KSD", null, null, "KSD_PASSPHRASE", Map.of("KSD_PASSPHRASE", SECRET)::get))
                .isEqualTo(SECRET);
    }

    @Test
    void unsetVariableIsNamed() {
        assertThatIllegalArgumentException()
                .isThrownBy(() ->
                        SftpAccount.passphrase("KSD", null, null, "KSD_PASSPHRASE", Map.<String, String>of()::get))
                .withMessageContaining("KSD")
                .withMessageContaining("KSD_PASSPHRASE")
                .withMessageContaining("not set");
    }

    @Test
    void emptyFileIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("empty"), "\n");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> SftpAccount.passphrase("KSD", null, file, null, Map.<String, String>of()::get))
                .withMessageContaining(file.toString())
                .withMessageContaining("empty");
    }

    @Test
    void twoSourcesAreRefusedWithoutShowingEither() throws Exception {
        Path file = Files.writeString(dir.resolve("passphrase"), SECRET);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> SftpAccount.passphrase("KSD", SECRET, file, null, Map.<String, String>of()::get))
                .withMessageContaining("only one of passphrase, passphrase-file and passphrase-env")
                .withMessageNotContaining(SECRET);
    }

    @Test
    void toStringLeavesThePassphraseOut() {
        SftpAccount account = new SftpAccount("KSD", "127.0.0.1", 22, dir.resolve("key"), SECRET, dir.resolve("hosts"));

        assertThat(account.toString()).doesNotContain(SECRET).contains("KSD");
    }
}

package dk.sf1820.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.annotation.Configuration;

/** A passphrase on the command line stops the application before anything starts; a file or a variable name is fine. */
class PassphraseOnCommandLineCheckTest {

    @Test
    void passphraseArgumentStopsTheStartNamingTheSetting() {
        assertThatIllegalStateException()
                .isThrownBy(() -> start("--sf1820.sftp.accounts[0].passphrase=hunter2"))
                .withMessageContaining("sf1820.sftp.accounts[0].passphrase")
                .withMessageContaining("passphrase-file")
                .withMessageContaining("passphrase-env")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }

    @Test
    void passphraseFileAndVariableNamesAreAllowed() {
        assertThatNoException()
                .isThrownBy(() -> start(
                        "--sf1820.sftp.accounts[0].passphrase-file=/run/secrets/ksd",
                        "--sf1820.sftp.accounts[1].passphrase-env=KSD_PASSPHRASE"));
    }

    /** A real Spring Boot start, so the check is proven to be registered (spring.factories), not only written. */
    private static void start(String... args) {
        SpringApplication application = new SpringApplication(Empty.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.run(args).close();
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {}
}

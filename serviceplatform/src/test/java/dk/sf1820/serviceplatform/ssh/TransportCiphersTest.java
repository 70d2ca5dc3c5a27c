package dk.sf1820.serviceplatform.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import java.util.List;
import org.apache.sshd.common.NamedResource;
import org.junit.jupiter.api.Test;

class TransportCiphersTest {

    @Test
    void theDefaultOffersTheAesModesInOrderAndNoChaCha() {
        assertThat(TransportCiphers.of(TransportCiphers.DEFAULT))
                .extracting(NamedResource::getName)
                .containsExactly(
                        "aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr");
    }

    @Test
    void anUnknownCipherIsRefusedWithItsNameAndTheKnownOnes() {
        assertThatThrownBy(() -> ServiceplatformEmulator.builder().ciphers(List.of("aes128-gcm@openssh.com", "rot13")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'rot13' is not an SSH cipher")
                .hasMessageContaining("chacha20-poly1305@openssh.com");
    }

    @Test
    void noneAndAnEmptyListAreRefused() {
        assertThatThrownBy(() -> TransportCiphers.of(List.of("none"))).hasMessageContaining("'none'");
        assertThatThrownBy(() -> TransportCiphers.of(List.of())).hasMessageContaining("at least one cipher");
    }
}

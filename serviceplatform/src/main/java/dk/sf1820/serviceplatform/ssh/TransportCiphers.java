package dk.sf1820.serviceplatform.ssh;

import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;

/**
 * The SSH ciphers the emulator offers. An SSH client takes the first of its own list that the server
 * offers, so what the server leaves out is its only say in the choice.
 *
 * <p>By default the AES modes only: AES-GCM and AES-CTR run on the JDK's AES-NI and GHASH intrinsics,
 * while MINA SSHD's chacha20-poly1305 is plain Java and moves about 0.7× as many bytes per second
 * (measured with OpenSSH's {@code sftp}, whose first choice it is; see {@code docs/benchmarks.md}).
 * Every client that speaks chacha20-poly1305 also speaks AES-CTR, so leaving it out costs no
 * client; {@code --ciphers} offers it again where a test needs it.
 */
public final class TransportCiphers {

    public static final List<String> DEFAULT =
            List.of("aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "aes128-ctr", "aes192-ctr", "aes256-ctr");

    private TransportCiphers() {}

    /**
     * The factories of the named ciphers, in the given order.
     *
     * @throws IllegalArgumentException naming a cipher MINA SSHD does not know or cannot run here
     */
    public static List<NamedFactory<Cipher>> of(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException(
                    "ciphers: at least one cipher is required, e.g. " + String.join(",", DEFAULT));
        }
        List<NamedFactory<Cipher>> factories = new ArrayList<>();
        for (String name : names) {
            BuiltinCiphers cipher = BuiltinCiphers.fromFactoryName(name.strip());
            if (cipher == null || !cipher.isSupported() || cipher == BuiltinCiphers.none) {
                throw new IllegalArgumentException(
                        "ciphers: '" + name + "' is not an SSH cipher the emulator can offer; " + "known: "
                                + String.join(", ", supported()));
            }
            factories.add(cipher);
        }
        return factories;
    }

    private static List<String> supported() {
        return BuiltinCiphers.VALUES.stream()
                .filter(c -> c.isSupported() && c != BuiltinCiphers.none)
                .map(BuiltinCiphers::getName)
                .toList();
    }
}

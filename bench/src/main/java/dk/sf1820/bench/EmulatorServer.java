package dk.sf1820.bench;

import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * The Serviceplatform emulator in a JVM of its own, as sshd is a process of its own, so that a client
 * measured against it does not share a JVM (heap, GC, JIT threads) with it. No trigger scan: the
 * bench measures the SFTP server only. Writes known_hosts and the port, then serves until killed.
 * {@code EmulatorServer <root> <user> <public key file> <known_hosts out> <port file out>}
 */
public final class EmulatorServer {

    public static void main(String[] args) throws Exception {
        ServiceplatformEmulator platform = ServiceplatformEmulator.builder()
                .root(Path.of(args[0]))
                .port(0)
                .scanInterval(Duration.ZERO)
                .user(
                        args[1],
                        PublicKeyEntry.parsePublicKeyEntry(
                                        Files.readString(Path.of(args[2])).trim())
                                .resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING))
                .build();
        platform.start();
        Runtime.getRuntime().addShutdownHook(new Thread(platform::close));
        platform.writeKnownHosts(Path.of(args[3]));
        Path portFile = Path.of(args[4]);
        Path partial = Files.writeString(
                portFile.resolveSibling(portFile.getFileName() + ".part"), String.valueOf(platform.port()));
        Files.move(partial, portFile);
        Thread.currentThread().join();
    }
}

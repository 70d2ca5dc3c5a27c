package dk.sf1820.bench;

import java.io.IOException;
import java.nio.file.Path;

/**
 * OpenSSH's {@code sftp} client in batch mode, as the comparisons run it against the emulator and sshd: key
 * login only, the server's host key checked against the given known_hosts, never a prompt.
 */
final class OpenSshSftp {

    private OpenSshSftp() {}

    /** Runs the {@code sftp -b} batch file in one session; fails when a command of it fails. */
    static void runBatch(
            Path work, Path batch, String privateKey, int port, String knownHosts, String user, String host)
            throws IOException, InterruptedException {
        Measure.exec(
                work,
                "sftp",
                "-q",
                "-b",
                batch.toString(),
                "-i",
                privateKey,
                "-P",
                String.valueOf(port),
                "-o",
                "UserKnownHostsFile=" + knownHosts,
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "BatchMode=yes",
                user + "@" + host);
    }
}

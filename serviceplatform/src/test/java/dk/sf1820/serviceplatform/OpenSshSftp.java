package dk.sf1820.serviceplatform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * OpenSSH's own {@code sftp} (Debian's openssh-client, installed by .ci/run) in batch mode against the
 * emulator on 127.0.0.1: a client the emulator was not written with. The host key is checked strictly
 * against the given known_hosts, and only the given identity is offered (no agent, no password).
 */
public record OpenSshSftp(int port, String user, Path identity, Path knownHosts) {

    public static final Path SFTP = Path.of("/usr/bin/sftp");

    /** What the client said (standard output and error together) and how it exited. */
    public record Result(int exitCode, String output) {}

    /** Whether the client is installed; tests assume it, naming the package when it is not. */
    public static boolean installed() {
        return Files.isExecutable(SFTP);
    }

    /**
     * Runs {@code batch} (sftp commands, one a line) and waits up to 30 s for the client to end.
     *
     * @param workDir where the batch file is written
     * @param options more of the client's options, e.g. {@code -v}, {@code -c aes128-ctr}, {@code -o X=Y}
     */
    public Result run(Path workDir, String batch, String... options) throws IOException, InterruptedException {
        Path batchFile = Files.writeString(Files.createTempFile(workDir, "sftp-batch-", ".txt"), batch);
        List<String> command = new ArrayList<>(List.of(
                SFTP.toString(),
                "-b",
                batchFile.toString(),
                "-P",
                Integer.toString(port),
                "-i",
                identity.toString(),
                "-o",
                "UserKnownHostsFile=" + knownHosts,
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "BatchMode=yes",
                "-o",
                "PasswordAuthentication=no",
                "-o",
                "IdentitiesOnly=yes"));
        command.addAll(List.of(options));
        command.add(user + "@127.0.0.1");
        Process sftp = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(sftp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sftp.waitFor(30, TimeUnit.SECONDS))
                .as("sftp ended within 30 s")
                .isTrue();
        return new Result(sftp.exitValue(), output);
    }
}

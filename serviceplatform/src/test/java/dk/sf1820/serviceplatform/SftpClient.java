package dk.sf1820.serviceplatform;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;

/** A JSch SFTP client as senders and recipients use it: key login, host key checked against known_hosts. */
final class SftpClient implements AutoCloseable {

    private final Session session;
    final ChannelSftp sftp;

    private SftpClient(Session session, ChannelSftp sftp) {
        this.session = session;
        this.sftp = sftp;
    }

    static SftpClient connect(ServiceplatformEmulator platform, LocalKey key, Path knownHosts) throws JSchException {
        JSch jsch = new JSch();
        jsch.setKnownHosts(knownHosts.toString());
        jsch.addIdentity(key.privateKey().toString());
        Session session = jsch.getSession(key.user(), platform.host(), platform.port());
        session.setConfig("StrictHostKeyChecking", "yes");
        session.setConfig("PreferredAuthentications", "publickey");
        session.connect(10_000);
        ChannelSftp channel = (ChannelSftp) session.openChannel("sftp");
        channel.connect(10_000);
        return new SftpClient(session, channel);
    }

    void put(byte[] content, String path) throws Exception {
        sftp.put(new ByteArrayInputStream(content), path);
    }

    byte[] get(String path) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sftp.get(path, out);
        return out.toByteArray();
    }

    @Override
    public void close() {
        sftp.disconnect();
        session.disconnect();
    }
}

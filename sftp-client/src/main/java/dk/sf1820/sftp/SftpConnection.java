package dk.sf1820.sftp;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpATTRS;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * An open SFTP channel of one account. Paths are the user's view of its home ({@code /OUT/x}).
 * Every failure names the account and the path.
 *
 * <p>Closing hands the session back to its account's pool for reuse ({@link SftpConnector}), unless
 * an operation failed on it: a session that has seen an error is never trusted again and is closed.
 */
public class SftpConnection implements AutoCloseable {

    private final SftpAccount account;
    private final Session session;
    private final ChannelSftp channel;
    private final AccountSessions pool;
    private boolean failed;
    private boolean closed;

    SftpConnection(SftpAccount account, Session session, ChannelSftp channel, AccountSessions pool) {
        this.account = account;
        this.session = session;
        this.channel = channel;
        this.pool = pool;
    }

    public SftpAccount account() {
        return account;
    }

    public boolean isConnected() {
        return session.isConnected() && channel.isConnected() && !channel.isClosed();
    }

    /** Streams {@code in} to {@code path}, overwriting what is there. */
    public void upload(InputStream in, String path) throws SftpException {
        try {
            channel.put(in, path, ChannelSftp.OVERWRITE);
        } catch (com.jcraft.jsch.SftpException e) {
            throw failure("upload to", path, e);
        }
    }

    public void upload(byte[] content, String path) throws SftpException {
        upload(new ByteArrayInputStream(content), path);
    }

    /** Streams {@code path} into {@code out}. */
    public void download(String path, OutputStream out) throws SftpException {
        try {
            channel.get(path, out);
        } catch (com.jcraft.jsch.SftpException e) {
            throw failure("download", path, e);
        }
    }

    public byte[] read(String path) throws SftpException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        download(path, out);
        return out.toByteArray();
    }

    /** The size of a remote file, or empty if there is none. */
    public OptionalLong size(String path) throws SftpException {
        try {
            SftpATTRS attrs = channel.stat(path);
            return OptionalLong.of(attrs.getSize());
        } catch (com.jcraft.jsch.SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return OptionalLong.empty();
            }
            throw failure("stat", path, e);
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    public boolean exists(String path) throws SftpException {
        return size(path).isPresent();
    }

    /** Renames; fails if the target exists (SFTP v3 semantics), so a trigger is never overwritten. */
    public void rename(String from, String to) throws SftpException {
        try {
            channel.rename(from, to);
        } catch (com.jcraft.jsch.SftpException e) {
            throw failure("rename " + from + " to", to, e);
        }
    }

    /** Deletes a file; a file that is already gone is not an error. */
    public void delete(String path) throws SftpException {
        try {
            channel.rm(path);
        } catch (com.jcraft.jsch.SftpException e) {
            if (e.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                throw failure("delete", path, e);
            }
        }
    }

    /** Names of the regular files in a directory. */
    public List<String> list(String directory) throws SftpException {
        try {
            List<String> names = new ArrayList<>();
            for (Object o : channel.ls(directory)) {
                ChannelSftp.LsEntry entry = (ChannelSftp.LsEntry) o;
                if (entry.getAttrs().isReg()) {
                    names.add(entry.getFilename());
                }
            }
            return names;
        } catch (com.jcraft.jsch.SftpException e) {
            throw failure("list", directory, e);
        }
    }

    /** The regular files in a directory with their size and modification time. */
    public List<RemoteFile> files(String directory) throws SftpException {
        try {
            List<RemoteFile> files = new ArrayList<>();
            for (Object o : channel.ls(directory)) {
                ChannelSftp.LsEntry entry = (ChannelSftp.LsEntry) o;
                SftpATTRS attrs = entry.getAttrs();
                if (attrs.isReg()) {
                    files.add(new RemoteFile(
                            entry.getFilename(),
                            attrs.getSize(),
                            Instant.ofEpochSecond(Integer.toUnsignedLong(attrs.getMTime()))));
                }
            }
            return files;
        } catch (com.jcraft.jsch.SftpException e) {
            throw failure("list", directory, e);
        }
    }

    private SftpException failure(String action, String path, com.jcraft.jsch.SftpException e) {
        failed = true;
        boolean retryable = e.id != ChannelSftp.SSH_FX_PERMISSION_DENIED;
        return new SftpException(
                "SFTP " + action + " " + path + " as " + account.user() + "@" + account.server() + " failed: "
                        + e.getMessage() + " (status " + e.id + ")",
                retryable,
                e);
    }

    /** A round trip on the channel: a session the server dropped (restart, service window) fails it. */
    boolean answers() {
        if (!isConnected()) {
            return false;
        }
        try {
            channel.stat(".");
            return true;
        } catch (com.jcraft.jsch.SftpException | RuntimeException e) {
            return false;
        }
    }

    Session session() {
        return session;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!failed && isConnected()) {
                pool.giveBack(new SftpConnection(account, session, channel, pool));
            } else {
                disconnect();
            }
        } finally {
            pool.release();
        }
    }

    void disconnect() {
        channel.disconnect();
        session.disconnect();
    }
}

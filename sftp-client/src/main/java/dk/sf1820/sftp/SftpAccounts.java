package dk.sf1820.sftp;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SFTP users this installation logs in as, by user name. */
public final class SftpAccounts {

    private final Map<String, SftpAccount> byUser = new LinkedHashMap<>();

    public SftpAccounts(Collection<SftpAccount> accounts) {
        for (SftpAccount account : accounts) {
            if (byUser.put(account.user(), account) != null) {
                throw new IllegalArgumentException("sf1820.sftp.accounts: user " + account.user() + " is listed twice");
            }
        }
    }

    public Optional<SftpAccount> find(String user) {
        return Optional.ofNullable(byUser.get(user));
    }

    /**
     * @throws IllegalArgumentException naming the user when no account is configured for it
     */
    public SftpAccount require(String user) {
        return find(user)
                .orElseThrow(() -> new IllegalArgumentException("No SFTP account configured for user '" + user
                        + "' (sf1820.sftp.accounts); configured: " + String.join(", ", byUser.keySet())));
    }

    public List<SftpAccount> all() {
        return List.copyOf(byUser.values());
    }
}

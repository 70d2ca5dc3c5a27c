package dk.sf1820.app.health;

import dk.sf1820.kafka.PipelineMetrics;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpConnection;
import dk.sf1820.sftp.SftpConnector;
import dk.sf1820.sftp.SftpException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Every configured SFTP account: a fresh login (so the host key is checked against known_hosts every
 * time) and a listing of its OUT and IN. A result is reused for the check interval, however often
 * health is asked, so that monitoring does not take sessions from the transfers. A changed or unknown
 * host key shows DOWN with the fingerprint the server presented.
 */
class SftpAccountsHealthIndicator implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(SftpAccountsHealthIndicator.class);

    private final List<SftpAccount> accounts;
    private final SftpConnector connector;
    private final List<String> folders;
    private final Duration checkInterval;
    private final Clock clock;
    private final Map<String, AccountCheck> checks = new ConcurrentHashMap<>();

    /**
     * @param connector one that logs in afresh for every connection, not the stages' pool, whose reused
     *        sessions would not show a host key changed since they logged in
     */
    SftpAccountsHealthIndicator(
            List<SftpAccount> accounts,
            SftpConnector connector,
            List<String> folders,
            Duration checkInterval,
            Clock clock,
            PipelineMetrics metrics) {
        this.accounts = List.copyOf(accounts);
        this.connector = connector;
        this.folders = List.copyOf(folders);
        this.checkInterval = checkInterval;
        this.clock = clock;
        this.accounts.forEach(account -> metrics.sftpAccount(account.user(), account, a -> check(a).up() ? 1.0 : 0.0));
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean allUp = true;
        for (SftpAccount account : accounts) {
            AccountCheck check = check(account);
            allUp &= check.up();
            details.put(account.user(), check.details());
        }
        return (allUp ? Health.up() : Health.down()).withDetails(details).build();
    }

    /** The account's last result, checked anew once it is older than the check interval. */
    private AccountCheck check(SftpAccount account) {
        return checks.compute(
                account.user(),
                (user, last) ->
                        last != null && last.checkedAt().plus(checkInterval).isAfter(clock.instant())
                                ? last
                                : loginAndList(account));
    }

    private AccountCheck loginAndList(SftpAccount account) {
        Instant now = clock.instant();
        try (SftpConnection connection = connector.open(account)) {
            Map<String, Integer> files = new LinkedHashMap<>();
            for (String folder : folders) {
                files.put(folder, connection.list(folder).size());
            }
            return new AccountCheck(true, now, account.server(), "files " + files);
        } catch (SftpException | RuntimeException e) {
            log.warn(
                    "SFTP health check failed user={} server={} error={}",
                    account.user(),
                    account.server(),
                    e.getMessage());
            return new AccountCheck(false, now, account.server(), e.getMessage());
        }
    }

    private record AccountCheck(boolean up, Instant checkedAt, String server, String result) {

        Map<String, Object> details() {
            return Map.of(
                    "status",
                    (up ? Status.UP : Status.DOWN).getCode(),
                    "server",
                    server,
                    "checkedAt",
                    checkedAt.toString(),
                    up ? "result" : "error",
                    String.valueOf(result));
        }
    }
}

package dk.sf1820.app.notifications;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Mail to the operator when a delivery needs attention ({@code sf1820.notifications.*}); off by default.
 *
 * @param enabled send mails; the {@code notifier} stage must also be in {@code sf1820.stages} (it is by default)
 * @param smtp the mail server
 * @param from the sender address
 * @param to the operator's addresses
 * @param maxEventAge events older than this are not mailed (logged only), so switching notifications on
 *        for a cluster with years of history does not mail every old failure
 */
@Validated
@ConfigurationProperties("sf1820.notifications")
public record NotificationProperties(
        @DefaultValue("false") boolean enabled,
        @Valid @DefaultValue Smtp smtp,
        @Email String from,
        @DefaultValue List<@Email String> to,
        @DefaultValue("7d") Duration maxEventAge) {

    /**
     * @param host the SMTP server's host name
     * @param port its port
     * @param username login, where the server needs one
     * @param password password for {@code username}; never logged
     * @param starttlsRequired refuse to send unless the server upgrades the connection with STARTTLS
     *        (set it when a password crosses a network)
     */
    public record Smtp(
            String host,
            @DefaultValue("25") @Min(1) @Max(65535) int port,
            String username,
            String password,
            @DefaultValue("false") boolean starttlsRequired) {

        @Override
        public String toString() {
            return "Smtp[host=" + host + ", port=" + port + ", username=" + username + ", password="
                    + (password == null ? "unset" : "***") + ", starttlsRequired=" + starttlsRequired + "]";
        }
    }

    /** Switched on, the mail needs somewhere to go; the message names every key that is missing. */
    @AssertTrue(
            message = "sf1820.notifications.enabled=true needs sf1820.notifications.smtp.host, "
                    + "sf1820.notifications.from and at least one sf1820.notifications.to")
    public boolean isComplete() {
        return !enabled || missing().isEmpty();
    }

    /** @return the keys that must be set before mail can be sent, empty when complete */
    public List<String> missing() {
        List<String> missing = new ArrayList<>();
        if (smtp == null || smtp.host() == null || smtp.host().isBlank()) {
            missing.add("sf1820.notifications.smtp.host");
        }
        if (from == null || from.isBlank()) {
            missing.add("sf1820.notifications.from");
        }
        if (to == null || to.stream().allMatch(String::isBlank)) {
            missing.add("sf1820.notifications.to");
        }
        return missing;
    }

    @AssertTrue(message = "sf1820.notifications.max-event-age must be positive")
    public boolean isMaxEventAgePositive() {
        return maxEventAge != null && !maxEventAge.isNegative() && !maxEventAge.isZero();
    }
}

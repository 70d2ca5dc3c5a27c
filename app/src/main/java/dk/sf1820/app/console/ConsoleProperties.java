package dk.sf1820.app.console;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may use the HTTP interface ({@code sf1820.console.*}). Bound to loopback (the default) anyone on the
 * host may; bound elsewhere the process refuses to start without users, and every request but
 * {@code /actuator/health} asks for HTTP basic authentication.
 *
 * @param users by user name: the password's hash and the user's role, e.g.
 *        {@code sf1820.console.users.anna.password={bcrypt}$2y$10$...} and
 *        {@code sf1820.console.users.anna.role=operator}
 * @param allowedHosts host names, besides localhost, 127.0.0.1 and [::1], that requests to an interface bound to
 *        loopback may be addressed to (the Host header), e.g. the name of an SSH tunnel's end; any other is refused,
 *        as a web page's request through DNS rebinding would be
 */
@ConfigurationProperties(ConsoleProperties.PREFIX)
public record ConsoleProperties(Map<String, User> users, List<String> allowedHosts) {

    public static final String PREFIX = "sf1820.console";

    public ConsoleProperties {
        users = users == null ? Map.of() : Map.copyOf(users);
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    }

    /**
     * @param password the password's hash with its algorithm in front, as Spring Security's delegating
     *        encoder reads it: {@code {bcrypt}...}, {@code {argon2}...}, {@code {pbkdf2}...}; never the
     *        password itself ({@code htpasswd -bnBC 12 "" secret | tr -d ':\n'} makes a bcrypt hash)
     * @param role {@code viewer} (sees everything, may not act; the default) or {@code operator} (may also
     *        resend a failed transfer and replay a dead letter)
     */
    public record User(String password, Role role) {

        public User {
            role = role == null ? Role.VIEWER : role;
        }
    }

    /** What a user may do. */
    public enum Role {
        VIEWER,
        OPERATOR;

        /** The Spring Security roles a user of this role holds. */
        Set<String> authorities() {
            return this == OPERATOR ? Set.of(VIEWER.name(), OPERATOR.name()) : Set.of(VIEWER.name());
        }
    }
}

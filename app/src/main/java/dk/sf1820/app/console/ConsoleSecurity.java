package dk.sf1820.app.console;

import dk.sf1820.app.console.ConsoleProperties.Role;
import jakarta.servlet.DispatcherType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;

/**
 * The HTTP interface's security. On loopback without configured users (the default) everyone on the host
 * may look and act, as on the command line. Bound to any other address, or with users configured, every
 * request but the health probes needs HTTP basic authentication; the actions ({@code POST /actions/...})
 * need the operator role. A process bound beyond loopback without users refuses to start. The browser's
 * actions carry a CSRF token, so a foreign page cannot make an operator's browser act, and
 * {@link BrowserRequestGuard} refuses other sites' pages' changes and, on loopback, requests to foreign host
 * names (DNS rebinding).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleProperties.class)
public class ConsoleSecurity {

    /** Hash algorithms a configured password may use: a plain password ({noop}) is refused. */
    private static final Set<String> HASHES = Set.of(
            "bcrypt",
            "argon2",
            "argon2@SpringSecurity_v5_8",
            "pbkdf2",
            "pbkdf2@SpringSecurity_v5_8",
            "scrypt",
            "scrypt@SpringSecurity_v5_8");

    @Bean
    @ConditionalOnWebApplication
    SecurityFilterChain consoleFilterChain(HttpSecurity http, ConsoleProperties properties, Environment environment)
            throws Exception {
        String address = environment.getProperty("server.address");
        boolean open = properties.users().isEmpty();
        if (open && !loopback(address)) {
            throw new IllegalStateException("server.address "
                    + (address == null || address.isBlank() ? "is unset (every interface)" : "is " + address)
                    + ", beyond loopback: configure users"
                    + " (sf1820.console.users.<name>.password={bcrypt}..., .role=viewer|operator) or bind"
                    + " server.address=127.0.0.1; the HTTP interface does not start open to the network");
        }
        http.addFilterBefore(
                new BrowserRequestGuard(loopback(address), properties.allowedHosts()),
                SecurityContextHolderFilter.class);
        // POST /extracts is for scripts, which hold no token; the guard keeps browsers' cross-site posts out of it
        http.csrf(csrf -> csrf.spa().ignoringRequestMatchers("/extracts", "/extracts/**"));
        http.headers(headers -> headers.contentSecurityPolicy(
                csp -> csp.policyDirectives("default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")));
        if (open) {
            http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
        } else {
            http.authorizeHttpRequests(requests -> requests.requestMatchers("/actuator/health", "/actuator/health/**")
                    .permitAll()
                    // the error page of a refused request (e.g. a missing CSRF token) says why, not "log in"
                    .dispatcherTypeMatchers(DispatcherType.ERROR)
                    .permitAll()
                    .requestMatchers(HttpMethod.POST, "/actions/**", "/extracts", "/extracts/**")
                    .hasRole(Role.OPERATOR.name())
                    .anyRequest()
                    .hasRole(Role.VIEWER.name()));
            http.httpBasic(Customizer.withDefaults());
        }
        return http.build();
    }

    @Bean
    UserDetailsService consoleUsers(ConsoleProperties properties) {
        List<UserDetails> users = new ArrayList<>();
        for (Map.Entry<String, ConsoleProperties.User> user : properties.users().entrySet()) {
            String hash = user.getValue().password();
            String where = ConsoleProperties.PREFIX + ".users." + user.getKey() + ".password";
            if (hash == null
                    || !hash.startsWith("{")
                    || hash.indexOf('}') < 0
                    || !HASHES.contains(hash.substring(1, hash.indexOf('}')))) {
                // never echo the value: it may be the password itself
                throw new IllegalStateException(where + " must be a password hash with its algorithm in front,"
                        + " e.g. {bcrypt}$2y$12$...; known: " + HASHES);
            }
            users.add(User.withUsername(user.getKey())
                    .password(hash)
                    .roles(user.getValue().role().authorities().toArray(String[]::new))
                    .build());
        }
        return new InMemoryUserDetailsManager(users);
    }

    @Bean
    PasswordEncoder consolePasswordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    static boolean loopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

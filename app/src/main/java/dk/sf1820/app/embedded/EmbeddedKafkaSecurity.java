package dk.sf1820.app.embedded;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the embedded broker's client listener is secured ({@code sf1820.embedded.kafka-security.*}):
 * {@code PLAINTEXT} on loopback (the default), {@code SSL} (mutual TLS when {@code clientAuth} is
 * true: a client must present a certificate the trust store vouches for) or {@code SASL_SSL} with
 * SCRAM-SHA-512 users. When secured, the controller listener speaks TLS too and requires the
 * broker's own certificate, so no port of the broker takes requests without authentication.
 *
 * @param protocol PLAINTEXT, SSL or SASL_SSL
 * @param keyStore the broker's key store (its certificate must name 127.0.0.1: clients and the
 *     broker itself verify the host name)
 * @param keyStorePassword the key store's password (also the key's)
 * @param keyStoreType PKCS12 or JKS
 * @param trustStore certificates the broker trusts: the CA of its own certificate and, for mutual
 *     TLS, of its clients' certificates
 * @param trustStorePassword the trust store's password
 * @param trustStoreType PKCS12 or JKS
 * @param clientAuth whether clients must present a certificate (mutual TLS)
 * @param scramUsers SCRAM-SHA-512 users and their passwords, created when the broker's storage is
 *     first formatted (later ones: {@code kafka-configs --alter --add-config 'SCRAM-SHA-512=[password=...]'})
 */
public record EmbeddedKafkaSecurity(
        @DefaultValue("PLAINTEXT") String protocol,
        Path keyStore,
        String keyStorePassword,
        @DefaultValue("PKCS12") String keyStoreType,
        Path trustStore,
        String trustStorePassword,
        @DefaultValue("PKCS12") String trustStoreType,
        boolean clientAuth,
        @DefaultValue Map<String, String> scramUsers) {

    public static final EmbeddedKafkaSecurity PLAINTEXT =
            new EmbeddedKafkaSecurity("PLAINTEXT", null, null, "PKCS12", null, null, "PKCS12", false, Map.of());

    static final String SCRAM = "SCRAM-SHA-512";
    /** The user the broker authenticates as to itself (transaction markers go through the client listener). */
    static final String BROKER_USER = "sf1820-broker";
    /** What Kafka's --add-scram syntax ({@code [name=...,password=...]}) can carry unquoted. */
    private static final Pattern SCRAM_SAFE = Pattern.compile("[^\\s,=\\[\\]\"']+");

    public EmbeddedKafkaSecurity {
        protocol = protocol.toUpperCase(java.util.Locale.ROOT);
        scramUsers = scramUsers == null ? Map.of() : Map.copyOf(scramUsers);
        String setting = "sf1820.embedded.kafka-security.";
        switch (protocol) {
            case "PLAINTEXT" -> {
                if (!scramUsers.isEmpty()) {
                    throw new IllegalArgumentException(setting + "scram-users needs protocol SASL_SSL, not PLAINTEXT");
                }
            }
            case "SSL", "SASL_SSL" -> {
                required(keyStore, setting + "key-store", protocol);
                required(keyStorePassword, setting + "key-store-password", protocol);
                required(trustStore, setting + "trust-store", protocol);
                required(trustStorePassword, setting + "trust-store-password", protocol);
                if (protocol.equals("SASL_SSL") && scramUsers.isEmpty()) {
                    throw new IllegalArgumentException(setting + "scram-users needs at least one user for SASL_SSL");
                }
                if (protocol.equals("SSL") && !scramUsers.isEmpty()) {
                    throw new IllegalArgumentException(setting + "scram-users needs protocol SASL_SSL, not SSL");
                }
            }
            default ->
                throw new IllegalArgumentException(
                        setting + "protocol must be PLAINTEXT, SSL or SASL_SSL, got " + protocol);
        }
        scramUsers.forEach((user, password) -> {
            if (!SCRAM_SAFE.matcher(user).matches()
                    || password == null
                    || !SCRAM_SAFE.matcher(password).matches()) {
                throw new IllegalArgumentException(setting + "scram-users." + user + ": a SCRAM user name and password"
                        + " may not be empty nor contain white space, commas, '=', brackets or quotes");
            }
            if (user.equals(BROKER_USER)) {
                throw new IllegalArgumentException(setting + "scram-users." + user + " is the broker's own user");
            }
        });
    }

    private static void required(Object value, String setting, String protocol) {
        if (value == null) {
            throw new IllegalArgumentException(setting + " is required for " + protocol);
        }
    }

    public boolean secured() {
        return !protocol.equals("PLAINTEXT");
    }

    public boolean sasl() {
        return protocol.equals("SASL_SSL");
    }

    /** The broker's listener settings: the client listener is named after its protocol. */
    Properties listenerProperties(int port, int controllerPort, String brokerPassword) {
        Properties p = new Properties();
        String controllerProtocol = secured() ? "SSL" : "PLAINTEXT";
        p.setProperty("listeners", protocol + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", protocol + "://127.0.0.1:" + port);
        p.setProperty("inter.broker.listener.name", protocol);
        p.setProperty(
                "listener.security.protocol.map", protocol + ":" + protocol + ",CONTROLLER:" + controllerProtocol);
        if (!secured()) {
            return p;
        }
        p.setProperty("ssl.keystore.location", keyStore.toAbsolutePath().toString());
        p.setProperty("ssl.keystore.password", keyStorePassword);
        p.setProperty("ssl.key.password", keyStorePassword);
        p.setProperty("ssl.keystore.type", keyStoreType);
        p.setProperty("ssl.truststore.location", trustStore.toAbsolutePath().toString());
        p.setProperty("ssl.truststore.password", trustStorePassword);
        p.setProperty("ssl.truststore.type", trustStoreType);
        p.setProperty("ssl.endpoint.identification.algorithm", "https");
        p.setProperty("listener.name.controller.ssl.client.auth", "required");
        String listener = "listener.name." + protocol.toLowerCase(java.util.Locale.ROOT) + ".";
        p.setProperty(listener + "ssl.client.auth", clientAuth ? "required" : "none");
        if (sasl()) {
            p.setProperty("sasl.enabled.mechanisms", SCRAM);
            p.setProperty("sasl.mechanism.inter.broker.protocol", SCRAM);
            p.setProperty(listener + "scram-sha-512.sasl.jaas.config", jaas(BROKER_USER, brokerPassword));
        }
        return p;
    }

    /** The {@code --add-scram} arguments that create every user, the broker's own first, at format time. */
    Map<String, String> scramCredentials(String brokerPassword) {
        Map<String, String> users = new LinkedHashMap<>();
        if (sasl()) {
            users.put(BROKER_USER, brokerPassword);
            users.putAll(scramUsers);
        }
        Map<String, String> arguments = new LinkedHashMap<>();
        users.forEach(
                (user, password) -> arguments.put(user, SCRAM + "=[name=" + user + ",password=" + password + "]"));
        return arguments;
    }

    /** The SCRAM users the broker's storage must hold: its own, then the configured ones. */
    List<String> scramUserNames() {
        List<String> names = new ArrayList<>();
        if (sasl()) {
            names.add(BROKER_USER);
            names.addAll(new TreeSet<>(scramUsers.keySet()));
        }
        return names;
    }

    static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    @Override
    public String toString() {
        // passwords stay out of logs
        return "EmbeddedKafkaSecurity[protocol=" + protocol + ", keyStore=" + keyStore + ", trustStore=" + trustStore
                + ", clientAuth=" + clientAuth + ", scramUsers=" + scramUsers.keySet() + "]";
    }
}

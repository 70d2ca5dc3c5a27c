package dk.sf1820.app;

import dk.sf1820.app.audit.TransferFilter;
import dk.sf1820.app.audit.TransferStatus;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where {@code ./sf1820 status} gets its answer: from a running instance on this host ({@code ./sf1820 run},
 * {@code GET http://127.0.0.1:<server.port>/transfers}, its live projection of the topics: well under a second)
 * when one answers, otherwise from a replay of every topic (seconds to minutes, by the topics' size). A command
 * that names another cluster ({@code --bootstrap-servers}) always replays: the local instance may follow a
 * different one.
 */
final class StatusSource {

    static final int DEFAULT_PORT = 8820;
    private static final Duration CONNECT = Duration.ofSeconds(1);
    private static final Duration ANSWER = Duration.ofSeconds(30);

    /** What the running instance said: the transfers matched and the records that belong to no transfer. */
    record Answer(List<TransferStatus> transfers, List<String> strayRecords) {}

    private StatusSource() {}

    /** The running instance's answer, or empty where none answers (then replay). */
    static Optional<Answer> runningInstance(List<String> springArgs, TransferFilter filter) {
        if (springArgs.stream().anyMatch(a -> a.startsWith("--spring.kafka.bootstrap-servers="))) {
            return Optional.empty();
        }
        int port = port(springArgs);
        if (port <= 0) {
            return Optional.empty();
        }
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        add(query, "fagsystem", filter.fagsystem());
        add(query, "authority", filter.authority());
        add(query, "period", filter.period());
        HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT).build();
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/transfers" + query))
                            .timeout(ANSWER)
                            .header("Accept", "application/json")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty(); // not ours, or it asks for a password: the replay needs none
            }
            Answer answer = JsonMapper.builder()
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .build()
                    .readValue(response.body(), Answer.class);
            return answer.transfers() == null
                    ? Optional.empty()
                    : Optional.of(new Answer(
                            answer.transfers(), answer.strayRecords() == null ? List.of() : answer.strayRecords()));
        } catch (IOException | JacksonException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static int port(List<String> springArgs) {
        String port = springArgs.stream()
                .filter(a -> a.startsWith("--server.port="))
                .reduce((a, b) -> b)
                .map(a -> a.substring("--server.port=".length()))
                .orElse(System.getenv().getOrDefault("SERVER_PORT", Integer.toString(DEFAULT_PORT)));
        try {
            return Integer.parseInt(port.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void add(StringJoiner query, String name, String value) {
        if (value != null) {
            query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }
}

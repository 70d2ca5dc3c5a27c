package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dk.sf1820.app.audit.TransferFilter;
import dk.sf1820.app.audit.TransferState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./sf1820 status} asks a running instance over HTTP, and replays only when none answers: a real
 * HTTP server on loopback stands in for {@code ./sf1820 run}'s {@code GET /transfers}.
 */
class StatusSourceTest {

    private static final String ANSWER = """
            {"transfers":[{"transferId":"t-1","fagsystem":"KSD","authority":"0561","period":"M03",
            "fileName":"KSD_DST_0561_M03_20260302101530.zip","state":"FAILED","since":"2026-03-02T10:15:30Z",
            "attention":"500 Platform could not deliver the data file"}],
            "counts":{"FAILED":1},"attention":[],"strayRecords":["record x cannot be read"]}
            """;

    private HttpServer server;
    private final AtomicReference<String> query = new AtomicReference<>();
    private volatile int status = 200;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/transfers", exchange -> {
            query.set(exchange.getRequestURI().getRawQuery());
            byte[] body = ANSWER.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aRunningInstanceAnswersWithItsTransfersAndTheFilterGoesAlong() {
        var answer = StatusSource.runningInstance(
                        List.of("--server.port=" + port()), new TransferFilter("KSD", "0561", null))
                .orElseThrow();

        assertThat(answer.transfers()).singleElement().satisfies(t -> {
            assertThat(t.transferId()).isEqualTo("t-1");
            assertThat(t.state()).isEqualTo(TransferState.FAILED);
            assertThat(t.since()).isEqualTo(Instant.parse("2026-03-02T10:15:30Z"));
            assertThat(t.needsAttention()).isTrue();
        });
        assertThat(answer.strayRecords()).containsExactly("record x cannot be read");
        assertThat(query.get()).isEqualTo("fagsystem=KSD&authority=0561");
    }

    @Test
    void noInstanceOrARefusalMeansReplay() {
        int port = port();
        server.stop(0);
        assertThat(StatusSource.runningInstance(List.of("--server.port=" + port), TransferFilter.ALL))
                .isEmpty();
    }

    @Test
    void anInstanceThatAsksForAPasswordMeansReplay() {
        status = 401;
        assertThat(StatusSource.runningInstance(List.of("--server.port=" + port()), TransferFilter.ALL))
                .isEmpty();
    }

    @Test
    void anotherClusterNamedOnTheCommandLineIsAlwaysReplayed() {
        assertThat(StatusSource.runningInstance(
                        List.of("--server.port=" + port(), "--spring.kafka.bootstrap-servers=kafka:9092"),
                        TransferFilter.ALL))
                .isEmpty();
        assertThat(query.get()).isNull();
    }

    private int port() {
        return server.getAddress().getPort();
    }
}

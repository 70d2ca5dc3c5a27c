package dk.sf1820.serviceplatform;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulator's control port, so tests, the demo and an operator need not wait up to ten minutes
 * for the next scan: {@code POST /scan} runs a trigger scan now, {@code POST /housekeeping} a
 * housekeeping run, each answering its report as plain text (one {@code key=value} line per trigger or
 * file, as the logs have them). Loopback only: it has no authentication, and anyone who can reach it
 * can make the platform act.
 *
 * <pre>
 * $ curl -X POST http://127.0.0.1:8821/scan
 * scan startedAt=2026-03-31T08:00:00Z triggers=1 delivered=1 rejected=0 deferred=0
 * DELIVERED user=KSD_SFTPSIMPEL trigger=KSD_DST_0561_M03_20260331080000.zip.trigger …
 * </pre>
 */
public final class EmulatorHttpControl implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmulatorHttpControl.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private EmulatorHttpControl(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving on {@code 127.0.0.1:port}.
     *
     * @param port 0 picks a free port ({@link #port()} tells which)
     */
    public static EmulatorHttpControl start(ServiceplatformEmulator emulator, int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the emulator's HTTP control port 127.0.0.1:" + port, e);
        }
        server.createContext("/scan", exchange -> answer(exchange, () -> ReportText.of(emulator.scanNow())));
        server.createContext(
                "/housekeeping", exchange -> answer(exchange, () -> ReportText.of(emulator.housekeepingNow())));
        // scans and housekeeping are serialised inside the emulator anyway; one thread is enough
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "serviceplatform-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        EmulatorHttpControl control = new EmulatorHttpControl(server, executor);
        log.info(
                "Serviceplatform control port open address=127.0.0.1:{} endpoints=POST /scan, POST /housekeeping",
                control.port());
        return control;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static void answer(HttpExchange exchange, Supplier<String> action) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI()
                    .getPath()
                    .equals(exchange.getHttpContext().getPath())) {
                send(
                        exchange,
                        404,
                        "no such endpoint: " + exchange.getRequestURI().getPath() + "\n");
            } else if (!"POST".equals(exchange.getRequestMethod())) {
                // GET must stay safe: a crawler or a browser prefetch must not route files
                exchange.getResponseHeaders().set("Allow", "POST");
                send(exchange, 405, exchange.getRequestMethod() + " is not allowed; use POST\n");
            } else {
                String body;
                try {
                    body = action.get();
                } catch (RuntimeException e) {
                    log.error(
                            "Control request failed path={}",
                            exchange.getRequestURI().getPath(),
                            e);
                    send(exchange, 500, "failed: " + e + "\n");
                    return;
                }
                send(exchange, 200, body);
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        log.info("Serviceplatform control port closed");
    }
}

package dev.revstream.router;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A webhook receiver on 127.0.0.1 for the demo: accepts what the alert router posts, counts it
 * and keeps the latest message, so the demo shows alerts arriving at a channel without Slack.
 */
public final class LocalWebhook implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final AtomicLong received = new AtomicLong();
    private final AtomicReference<String> latest = new AtomicReference<>();

    public LocalWebhook() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try {
                latest.set(JSON.readTree(exchange.getRequestBody().readAllBytes())
                        .path("text")
                        .asText(null));
                received.incrementAndGet();
                exchange.sendResponseHeaders(200, -1);
            } catch (IOException e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/slack";
    }

    public long received() {
        return received.get();
    }

    /** The text of the latest Slack-format message, or null. */
    public String latest() {
        return latest.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

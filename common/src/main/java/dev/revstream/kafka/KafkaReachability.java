package dev.revstream.kafka;

import dev.revstream.config.ConfigException;
import dev.revstream.config.RevstreamConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A first check, before any Kafka client starts, that some bootstrap address accepts a connection:
 * without it a command waits half a minute for "Timeout expired while fetching topic metadata",
 * naming neither the address nor what to do.
 */
public final class KafkaReachability {
    static final int TIMEOUT_MILLIS = 3000;

    private KafkaReachability() {}

    /**
     * Returns when one of {@code kafka.bootstrap-servers} accepts a TCP connection within 3 s; else
     * throws a {@link ConfigException} naming every address, why it failed and what to do.
     */
    public static void require(RevstreamConfig cfg) {
        List<String> failures = new ArrayList<>();
        for (String server : cfg.kafka().bootstrapServers().split(",")) {
            String address = server.trim();
            int colon = address.lastIndexOf(':');
            String host =
                    colon > 0 ? address.substring(0, colon).replace("[", "").replace("]", "") : address;
            int port;
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (RuntimeException e) {
                failures.add(address + " (no port)");
                continue;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
                return;
            } catch (IOException e) {
                failures.add(address + " (" + reason(e) + ")");
            }
        }
        throw new ConfigException("cannot reach Kafka at " + String.join(", ", failures)
                + "; start one with ./revstream kafka, or point kafka.bootstrap-servers at yours (--bootstrap"
                + " HOST:PORT, or REVSTREAM_KAFKA_BOOTSTRAP_SERVERS)");
    }

    private static String reason(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof SocketTimeoutException) {
            return "no answer within " + TIMEOUT_MILLIS / 1000 + " s";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host";
        }
        return e.getMessage();
    }
}

package dev.revstream.tools.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.revstream.config.ConfigLoader;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.job.AsOfScanner;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.kafka.EmbeddedKafka;
import dev.revstream.tools.runner.LocalFlink;
import dev.revstream.tools.runner.LocalRunner;
import dev.revstream.tools.testing.Infra;
import dev.revstream.tools.testing.TopicIo;
import dev.revstream.tools.testing.TopicIo.Out;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job against a broker listener that requires TLS and SASL/SCRAM-SHA-256 (SASL_SSL, the setting of
 * a managed Kafka): the trust store and the credentials reach every Kafka client of the job (source,
 * sinks, admin, pre-scan) through {@code kafka.properties}, with the secrets themselves in a file read
 * by Kafka's own FileConfigProvider, so revstream's configuration only ever holds a reference. The
 * broker's certificate is made here with the JDK's keytool (CN and SAN localhost / 127.0.0.1, so the
 * client's host name check is on). A wrong password fails at start-up with the broker's message, and
 * a client that does not trust the broker's certificate fails at start-up too.
 */
class SecureKafkaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "s3cret-Pa55-do-not-log";

    private static final String STORE_PASSWORD = "store-Pa55-do-not-log";

    /** Runs the JDK's keytool; fails with its output when it fails. */
    private static void keytool(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor())
                .as("keytool " + String.join(" ", args) + ": " + out)
                .isZero();
    }

    /** A key pair with a self-signed certificate in a PKCS12 store of its own. */
    private static void keyPair(Path dir, String alias, String dname, String store, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                dname,
                "-keystore",
                store,
                "-storetype",
                "PKCS12",
                "-storepass",
                STORE_PASSWORD,
                "-keypass",
                STORE_PASSWORD));
        args.addAll(List.of(more));
        keytool(dir, args.toArray(String[]::new));
    }

    @Test
    void theJobRunsOverTlsAgainstASaslScramBrokerWithTheSecretsInAFile(@TempDir Path dir) throws Exception {
        // the broker's key and self-signed certificate, and a trust store holding that certificate
        keyPair(dir, "broker", "CN=localhost", "broker.p12", "-ext", "SAN=dns:localhost,ip:127.0.0.1");
        keytool(
                dir,
                "-exportcert",
                "-alias",
                "broker",
                "-keystore",
                "broker.p12",
                "-storepass",
                STORE_PASSWORD,
                "-rfc",
                "-file",
                "broker.pem");
        keytool(
                dir,
                "-importcert",
                "-noprompt",
                "-alias",
                "broker",
                "-file",
                "broker.pem",
                "-keystore",
                "trust.p12",
                "-storetype",
                "PKCS12",
                "-storepass",
                STORE_PASSWORD);
        // a trust store that does not hold it: the client must refuse the broker
        keyPair(dir, "other", "CN=other", "other.p12");

        int saslPort = freePort();
        Map<String, String> overrides = Map.of(
                "listeners",
                "PLAINTEXT://127.0.0.1:%d,SASL_SSL://127.0.0.1:" + saslPort + ",CONTROLLER://127.0.0.1:%c",
                "sasl.enabled.mechanisms",
                "SCRAM-SHA-256",
                "listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "listener.name.sasl_ssl.ssl.keystore.location",
                dir.resolve("broker.p12").toString(),
                "listener.name.sasl_ssl.ssl.keystore.type",
                "PKCS12",
                "listener.name.sasl_ssl.ssl.keystore.password",
                STORE_PASSWORD,
                "listener.name.sasl_ssl.ssl.key.password",
                STORE_PASSWORD);
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka"), 0, overrides).start()) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                                "revstream", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192), PASSWORD)))
                        .all()
                        .get();
            }
            Path secrets = dir.resolve("kafka-secrets.properties");
            Files.writeString(
                    secrets,
                    "jaas=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"revstream\" "
                            + "password=\"" + PASSWORD + "\";\ntruststore-password=" + STORE_PASSWORD + "\n");
            RevstreamConfig cfg = secure(saslPort, secrets, dir.resolve("trust.p12"), "secure");
            assertThat(cfg.raw().toString()).doesNotContain(PASSWORD).doesNotContain(STORE_PASSWORD);

            KafkaTopics.ensure(cfg); // through SASL
            List<Out> in = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                in.add(Out.json(
                        cfg.topics().touchpoints(),
                        "acct-" + (i % 7),
                        "{\"eventId\":\"s-" + i + "\",\"occurredAt\":\"2026-11-0" + (1 + i % 9)
                                + "T10:00:00Z\",\"source\":\"test\",\"accountId\":\"acct-" + (i % 7)
                                + "\",\"type\":\"WEB_VISIT\"}"));
            }
            TopicIo.produce(kafka.bootstrapServers(), in);
            LocalFlink flink = Infra.flink();
            JobID job = LocalRunner.submitBounded(flink, cfg, AsOfScanner.scan(cfg), null, null);
            assertThat(flink.awaitResult(job, Duration.ofMinutes(3)).isSuccess())
                    .isTrue();
            Set<String> ids = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r :
                    TopicIo.readCommitted(kafka.bootstrapServers(), cfg.topics().events())) {
                ids.add(JSON.readTree(r.value()).get("eventId").asText());
            }
            assertThat(ids).hasSize(200);

            // the same with a wrong password: refused at start-up, with the broker's reason
            Path wrong = dir.resolve("wrong.properties");
            Files.writeString(wrong, Files.readString(secrets).replace(PASSWORD, "nope"));
            RevstreamConfig bad = secure(saslPort, wrong, dir.resolve("trust.p12"), "secure-bad");
            assertThatThrownBy(() -> KafkaTopics.ensure(bad)).hasStackTraceContaining("Authentication failed");

            // a client that does not trust the broker's certificate: refused at start-up, by the TLS handshake
            RevstreamConfig untrusting = secure(saslPort, secrets, dir.resolve("other.p12"), "secure-untrusted");
            assertThatThrownBy(() -> KafkaTopics.ensure(untrusting)).hasStackTraceContaining("SSL handshake failed");
        }
    }

    private static RevstreamConfig secure(int saslPort, Path secrets, Path trustStore, String name) {
        List<String> sets = new ArrayList<>(List.of(
                "kafka.bootstrap-servers=127.0.0.1:" + saslPort,
                "kafka.group-id=" + name,
                "kafka.transactional-id-prefix=" + name,
                "job.checkpoint-interval=300ms",
                "kafka.transaction-timeout=60s",
                "job.checkpoint-timeout=45s",
                "kafka.properties.security.protocol=SASL_SSL",
                "kafka.properties.ssl.truststore.location=" + trustStore,
                "kafka.properties.ssl.truststore.type=PKCS12",
                "kafka.properties.ssl.truststore.password=${file:" + secrets + ":truststore-password}",
                "kafka.properties.sasl.mechanism=SCRAM-SHA-256",
                "kafka.properties.config.providers=file",
                "kafka.properties.config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider",
                "kafka.properties.sasl.jaas.config=${file:" + secrets + ":jaas}"));
        sets.addAll(Infra.topicSets(name));
        return ConfigLoader.load(Infra.projectConfig(), sets, Map.of());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

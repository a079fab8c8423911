package dev.revstream.tools.testing;

import dev.revstream.config.RevstreamConfig;
import dev.revstream.tools.generator.FunnelGenerator;
import dev.revstream.tools.generator.GeneratedRecord;
import java.util.ArrayList;
import java.util.List;

/** Generated funnel histories for replay tests. */
public final class Histories {
    private static final long DAY = 86_400_000L;

    private Histories() {}

    /**
     * The records of {@code accounts} accounts over the {@code days} before {@code now}, up to an hour
     * ago (so no event is in the future), 1 % malformed and 2 % duplicated.
     */
    public static List<GeneratedRecord> generate(long seed, int accounts, int days, long now) {
        FunnelGenerator generator = new FunnelGenerator(seed, accounts, now - days * DAY, 0.01, 0.02);
        List<GeneratedRecord> records = new ArrayList<>();
        while (generator.hasNext()) {
            GeneratedRecord r = generator.next();
            if (r.businessTime() > now - 3_600_000L) {
                break;
            }
            records.add(r);
        }
        return records;
    }

    /** The generator's records for a run's input topics (deals to its deals topic, the rest to touchpoints). */
    public static List<TopicIo.Out> outs(RevstreamConfig cfg, List<GeneratedRecord> records) {
        List<TopicIo.Out> out = new ArrayList<>();
        for (GeneratedRecord r : records) {
            out.add(new TopicIo.Out(
                    r.deal() ? cfg.topics().deals() : cfg.topics().touchpoints(),
                    null,
                    r.key() == null ? null : r.key().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    r.value()));
        }
        return out;
    }
}

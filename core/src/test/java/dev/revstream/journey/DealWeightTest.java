package dev.revstream.journey;

import static dev.revstream.journey.TestJourneySettings.DAY;
import static dev.revstream.model.EventBuilder.deal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.kpi.FactKind;
import dev.revstream.kpi.KpiFact;
import dev.revstream.model.Event;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A deal's weighted amount leaves the open pipeline as it came in: after a stage's win probability is
 * configured otherwise (a restart with new settings), what a deal's next move takes out is what its last
 * move put in, so the weighted pipeline and the forecast keep no weight of a deal that is gone.
 */
class DealWeightTest {
    private static final long T0 = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();

    private static JourneySettings withSolutionAt(double probability) {
        List<StageConfig> stages =
                new ArrayList<>(TestJourneySettings.defaults().stages());
        StageConfig solution = stages.get(2);
        stages.set(2, new StageConfig(solution.name(), solution.stallSlaMillis(), probability));
        return TestJourneySettings.withStages(stages);
    }

    private static void apply(Journey j, Event e) throws Exception {
        j.apply(e);
        j.advanceTo(e.occurredAt());
    }

    @Test
    void aDealsNextMoveTakesOutTheWeightItsLastMovePutIn() throws Exception {
        MemoryJourneyStore store = MemoryJourneyStore.empty();
        JourneyRecording out = new JourneyRecording();
        apply(
                new Journey(withSolutionAt(0.4), "acct-1", store, out),
                deal("d1", "CREATED", T0)
                        .account("acct-1")
                        .stage("SOLUTION")
                        .amount(1000)
                        .closeDate("2026-03-01")
                        .build());
        // restarted with the stage at 0.5: the amount changes, then the deal is lost
        Journey later = new Journey(withSolutionAt(0.5), "acct-1", store, out);
        apply(
                later,
                deal("d1", "UPDATED", T0 + DAY).account("acct-1").amount(2000).build());
        apply(later, deal("d1", "CLOSED_LOST", T0 + 2 * DAY).account("acct-1").build());

        List<KpiFact> moves =
                out.facts.stream().filter(f -> f.kind() == FactKind.DEAL_MOVED).toList();
        assertThat(moves).hasSize(3);
        assertThat(moves.get(0).weighted()).isEqualByComparingTo("400");
        assertThat(moves.get(1).move().weightedBefore())
                .as("what the creation put in, not 1000 x 0.5")
                .isEqualByComparingTo("400");
        assertThat(moves.get(1).weighted()).isEqualByComparingTo("1000");
        assertThat(moves.get(2).move().weightedBefore()).isEqualByComparingTo("1000");
        BigDecimal left = BigDecimal.ZERO;
        for (KpiFact m : moves) {
            left = left.add(m.weighted() == null ? BigDecimal.ZERO : m.weighted());
            left = left.subtract(
                    m.move().weightedBefore() == null
                            ? BigDecimal.ZERO
                            : m.move().weightedBefore());
        }
        assertThat(left)
                .as("nothing of the lost deal stays in the weighted pipeline")
                .isEqualByComparingTo("0");
    }
}

package dev.revstream.job.identity;

import dev.revstream.config.Units;
import dev.revstream.identity.IdentitySettings;
import dev.revstream.job.RunSummary;
import dev.revstream.job.state.RecordFailures;
import dev.revstream.model.DeadLetter;
import dev.revstream.model.ErrorCode;
import dev.revstream.model.Event;
import dev.revstream.quality.QualityOutcome;
import dev.revstream.quality.QualitySample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Finds the account of events that name none, by a link kept per key (the rules are in
 * {@link dev.revstream.identity.Resolution}); one function for the three keys:
 *
 * <ul>
 *   <li>{@link Stage#DEAL}, keyed by source and deal: a deal event that names its account teaches it
 *       and goes on; one that does not goes on with the deal's account;
 *   <li>{@link Stage#VISITOR}, keyed by {@code anonymousId}: an {@code IDENTIFY} teaches the visitor's
 *       person and account (and goes on to the person, {@link #TO_PERSON}); a visitor's event goes on
 *       with the account, else as its person's event to the person;
 *   <li>{@link Stage#PERSON}, keyed by {@code contactId}: an {@code IDENTIFY} teaches the account; a
 *       person's event goes on with it.
 * </ul>
 * A later link (by event time) replaces an earlier one for what comes after; an event already sent
 * on stays where it went. An event whose account is not known waits, with its own time, and goes on
 * when a link tells it (the journey applies it in its place, as a correction if it is behind). It
 * waits {@code unresolvedTimeout} of event time at most (from its time, or from the watermark when it
 * arrived behind it), and a key holds {@code maxWaiting} at most: then it is an
 * {@code UNRESOLVED_ACCOUNT} dead letter, never dropped silently.
 *
 * <p>A {@code FORGET} purges the key's link and waiting events (privacy: nothing of the visitor or person
 * stays in this state) and, when the link knew the account, goes on to the journey, which drops the
 * ids from the events it keeps for corrections (its attribution touches keep no identity, only their
 * source, event id and channel).
 *
 * <p>State: the link (a few fields) and the waiting events, per key. Waiting events are cleared by
 * their deadline's event-time timer; the link by a timer {@code retention} after the key's last event.
 * A record whose processing throws is a {@code RECORD_FAILED} dead letter; the job goes on.
 */
public class AccountResolver extends KeyedProcessFunction<String, Event, Event> {
    private static final long serialVersionUID = 1L;

    public enum Stage {
        DEAL,
        VISITOR,
        PERSON
    }

    /** A visitor's events (and links) that name a person whose account the visitor does not know. */
    public static final OutputTag<Event> TO_PERSON = new OutputTag<>("to-person", Types.POJO(Event.class)) {};

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("identity-dead-letters", Types.POJO(DeadLetter.class)) {};

    public static final OutputTag<QualitySample> QUALITY =
            new OutputTag<>("identity-quality", Types.POJO(QualitySample.class)) {};

    private static final long DAY = 86_400_000L;

    private final Stage stage;
    private final IdentitySettings settings;

    private transient ValueState<AccountLink> link;
    private transient ListState<WaitingEvent> waiting;
    private transient Counter resolved;
    private transient Counter unresolved;
    private transient Counter failures;
    private transient Counter forgotten;
    private transient LongCounter deadLetteredInRun;

    public AccountResolver(Stage stage, IdentitySettings settings) {
        this.stage = stage;
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        link = getRuntimeContext().getState(new ValueStateDescriptor<>("link", Types.POJO(AccountLink.class)));
        waiting =
                getRuntimeContext().getListState(new ListStateDescriptor<>("waiting", Types.POJO(WaitingEvent.class)));
        var metrics = getRuntimeContext().getMetricGroup().addGroup("revstream");
        resolved = metrics.counter("eventsResolved");
        unresolved = metrics.counter("eventsUnresolved");
        failures = metrics.counter("recordFailures");
        forgotten = metrics.counter("eventsForgotten");
        deadLetteredInRun = getRuntimeContext().getLongCounter(RunSummary.DEAD_LETTERED);
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<Event> out) throws Exception {
        try {
            if (e.isForget() && stage != Stage.DEAL) {
                forget(e, ctx, out);
                return;
            }
            AccountLink l = link.value();
            l = (l == null ? AccountLink.NONE : l).seen(e.occurredAt());
            boolean teaches = teaches(e);
            if (teaches) {
                l = l.link(stage == Stage.VISITOR ? e.contactId() : null, e.accountId(), e.occurredAt());
                if (stage == Stage.DEAL) {
                    out.collect(e);
                } else if (stage == Stage.VISITOR && (e.contactId() != null)) {
                    ctx.output(TO_PERSON, e); // the person learns the account the link names
                }
                l = release(l, ctx, out);
            } else if (!send(e, l, ctx, out)) {
                l = hold(e, l, ctx);
            }
            link.update(l);
            // the link's clean-up, at the end of a day: one timer per key and day of activity, not per event
            long cleanup = saturated(l.lastSeen(), settings.retentionMillis());
            ctx.timerService()
                    .registerEventTimeTimer(
                            cleanup >= Long.MAX_VALUE - DAY ? cleanup : cleanup - Math.floorMod(cleanup, DAY) + DAY);
        } catch (RuntimeException ex) {
            failures.inc();
            ctx.output(
                    DEAD_LETTERS,
                    RecordFailures.ofEvent(
                            e,
                            ctx.getCurrentKey(),
                            "resolving this event's account failed: " + RecordFailures.describe(ex)));
        }
    }

    /**
     * A request to forget this visitor or person: its link and its waiting events are purged (counted, not
     * dead letters: a dead letter would keep what is to be forgotten); a visitor's request naming the
     * person goes on to the person.
     */
    private void forget(Event e, Context ctx, Collector<Event> out) throws Exception {
        AccountLink l = link.value();
        if (l != null && l.accountId() != null) {
            out.collect(e.withAccount(l.accountId())); // the journey drops the ids from the account's state
        }
        int purged = l == null ? 0 : l.waiting();
        forgotten.inc(purged);
        link.clear();
        waiting.clear();
        if (stage == Stage.VISITOR && e.contactId() != null) {
            ctx.output(TO_PERSON, e);
        }
        for (int i = 0; i < purged; i++) {
            QualitySample.emit(e.source(), e.ingestedAt(), QualityOutcome.IGNORED, null, s -> ctx.output(QUALITY, s));
        }
    }

    /** Whether the event is a link for this stage rather than an event looking for its account. */
    private boolean teaches(Event e) {
        return stage == Stage.DEAL ? e.accountId() != null : e.isIdentify();
    }

    /** Sends the event on when the link knows where; false when it must wait. */
    private boolean send(Event e, AccountLink l, Context ctx, Collector<Event> out) {
        if (l.accountId() != null) {
            Event on = e.withAccount(l.accountId());
            out.collect(
                    stage == Stage.VISITOR && e.contactId() == null && l.contactId() != null
                            ? on.withContact(l.contactId())
                            : on);
            resolved.inc();
            return true;
        }
        if (stage == Stage.VISITOR && l.contactId() != null) {
            ctx.output(TO_PERSON, e.withContact(l.contactId()));
            return true;
        }
        return false;
    }

    private AccountLink hold(Event e, AccountLink l, Context ctx) throws Exception {
        long from = Math.max(e.occurredAt(), ctx.timerService().currentWatermark());
        long deadline = saturated(from, settings.unresolvedTimeoutMillis());
        waiting.add(new WaitingEvent(e, deadline));
        ctx.timerService().registerEventTimeTimer(deadline);
        l = l.waiting(l.waiting() + 1);
        if (l.waiting() > settings.maxWaiting()) {
            List<WaitingEvent> all = new ArrayList<>();
            waiting.get().forEach(all::add);
            all.sort(Comparator.comparingLong(w -> w.event().occurredAt()));
            WaitingEvent oldest = all.remove(0);
            waiting.update(all);
            give(
                    oldest.event(),
                    ctx,
                    "more than " + settings.maxWaiting() + " events of " + what() + " '" + ctx.getCurrentKey()
                            + "' wait for its account (identity.max-waiting); this, the oldest, goes no further");
            l = l.waiting(all.size());
        }
        return l;
    }

    /** After a new link: the waiting events it resolves go on. */
    private AccountLink release(AccountLink l, Context ctx, Collector<Event> out) throws Exception {
        if (l.waiting() == 0) {
            return l;
        }
        List<WaitingEvent> still = new ArrayList<>();
        for (WaitingEvent w : waiting.get()) {
            if (!send(w.event(), l, ctx, out)) {
                still.add(w);
            }
        }
        waiting.update(still);
        return l.waiting(still.size());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Event> out) throws Exception {
        AccountLink l = link.value();
        if (l == null) {
            return;
        }
        if (l.waiting() > 0) {
            List<WaitingEvent> still = new ArrayList<>();
            for (WaitingEvent w : waiting.get()) {
                if (w.deadline() <= timestamp) {
                    boolean ended = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
                    give(
                            w.event(),
                            ctx,
                            ended
                                    ? "the input ended before a link told the account of " + what() + " '"
                                            + ctx.getCurrentKey() + "' (a bounded run)"
                                    : "no link told the account of " + what() + " '" + ctx.getCurrentKey()
                                            + "' within "
                                            + Units.format(Duration.ofMillis(settings.unresolvedTimeoutMillis()))
                                            + " of event time (identity.unresolved-timeout)");
                } else {
                    still.add(w);
                }
            }
            waiting.update(still);
            l = l.waiting(still.size());
        }
        if (l.waiting() == 0 && saturated(l.lastSeen(), settings.retentionMillis()) <= timestamp) {
            link.clear();
            waiting.clear();
        } else {
            link.update(l);
        }
    }

    private void give(Event e, Context ctx, String why) {
        unresolved.inc();
        deadLetteredInRun.add(1);
        ctx.output(DEAD_LETTERS, RecordFailures.ofEvent(ErrorCode.UNRESOLVED_ACCOUNT, e, e.routingKey(), why));
        QualitySample.emit(
                e.source(),
                e.ingestedAt(),
                QualityOutcome.REJECTED,
                ErrorCode.UNRESOLVED_ACCOUNT,
                s -> ctx.output(QUALITY, s));
    }

    private String what() {
        return switch (stage) {
            case DEAL -> "deal";
            case VISITOR -> "visitor";
            case PERSON -> "person";
        };
    }

    private static long saturated(long at, long plus) {
        long t = at + plus;
        return ((at ^ t) & (plus ^ t)) < 0 ? Long.MAX_VALUE : t;
    }
}

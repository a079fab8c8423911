package dev.revstream.tools.generator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A synthetic but realistic B2B funnel, by the input contract, in business-time order.
 *
 * <p>Accounts arrive over {@link #ARRIVAL_SPAN}; each one's life is scripted at arrival from its
 * own seeded random source: marketing touches over channels and campaigns, a form fill and lead,
 * MQL, a sales hand-off (usually within hours, sometimes late), SQL, a deal moving through the
 * stages (some stall, some slip their close date, many are lost), and for customers product
 * usage, support tickets, NPS, expansions, renewals (some contracting) and churn. Daily campaign
 * spend runs beside them. Every source speaks its own vocabulary (HubSpot, Marketo, Salesforce,
 * Segment, Zendesk, Stripe). A configurable share of extra records is malformed, and a share of
 * records is written twice. The same seed gives the same records.
 */
public final class FunnelGenerator implements Iterator<GeneratedRecord> {
    static final Duration ARRIVAL_SPAN = Duration.ofDays(90);
    private static final long MIN = 60_000L;
    private static final long HOUR = 60 * MIN;
    private static final long DAY = 24 * HOUR;
    private static final String[] CHANNELS = {
        "paid_search", "paid_social", "organic_search", "email", "events", "referral", "partner", "outbound"
    };
    private static final String[] CAMPAIGNS = {
        "brand-search", "competitor-search", "linkedin-abm", "q-webinar", "newsletter", "partner-co-sell", "field-event"
    };
    private static final String[] STAGES = {"QUALIFICATION", "DISCOVERY", "SOLUTION", "PROPOSAL", "NEGOTIATION"};
    private static final String[] SF_STAGES = {
        "Prospecting", "Needs Analysis", "Value Proposition", "Proposal/Price Quote", "Negotiation/Review"
    };
    private static final String[] HS_STAGES = {
        "appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent"
    };
    private static final int[] STALL_SLA_DAYS = {14, 14, 14, 10, 7};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final long seed;
    private final int accounts;
    private final long start;
    private final double malformedShare;
    private final double duplicateShare;
    private final Random noise;
    private final int dealsPerAccount;
    private final PriorityQueue<Pending> queue = new PriorityQueue<>();
    private long sequence;
    private int arrived;

    public FunnelGenerator(long seed, int accounts, long startMillis, double malformedShare, double duplicateShare) {
        this(seed, accounts, startMillis, malformedShare, duplicateShare, 1);
    }

    /**
     * @param dealsPerAccount new-business deals an account that reaches SQL opens at once (other product
     *     lines), at least 1; more than 1 grows deal state per account (the benchmark's knob)
     */
    public FunnelGenerator(
            long seed,
            int accounts,
            long startMillis,
            double malformedShare,
            double duplicateShare,
            int dealsPerAccount) {
        if (dealsPerAccount < 1) {
            throw new IllegalArgumentException("deals per account must be at least 1, not " + dealsPerAccount);
        }
        this.dealsPerAccount = dealsPerAccount;
        this.seed = seed;
        this.accounts = accounts;
        this.start = startMillis;
        this.malformedShare = malformedShare;
        this.duplicateShare = duplicateShare;
        this.noise = new Random(seed ^ 0x5DEECE66DL);
        scheduleArrival();
        push(new Pending(start, sequence++, null, Action.SPEND_DAY));
    }

    private enum Action {
        RECORD,
        ARRIVAL,
        SPEND_DAY
    }

    private record Pending(long time, long seq, GeneratedRecord record, Action action) implements Comparable<Pending> {
        @Override
        public int compareTo(Pending o) {
            return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
        }
    }

    private void push(Pending p) {
        queue.add(p);
    }

    private void scheduleArrival() {
        if (arrived < accounts) {
            long at = start + (long) ((double) ARRIVAL_SPAN.toMillis() * arrived / Math.max(1, accounts));
            push(new Pending(at, sequence++, null, Action.ARRIVAL));
        }
    }

    /** The business time of the next record, or {@link Long#MAX_VALUE} when none is left. */
    public long peekTime() {
        fill();
        return queue.isEmpty() ? Long.MAX_VALUE : queue.peek().time;
    }

    @Override
    public boolean hasNext() {
        fill();
        return !queue.isEmpty();
    }

    @Override
    public GeneratedRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Pending p = queue.poll();
        if (p.record.kind() == GeneratedRecord.Kind.VALID && noise.nextDouble() < duplicateShare) {
            // the copy arrives a little later, as re-deliveries do
            long later = p.time + noise.nextInt(30) * MIN;
            push(new Pending(
                    later,
                    sequence++,
                    new GeneratedRecord(
                            p.record.deal(), p.record.key(), p.record.value(), later, GeneratedRecord.Kind.DUPLICATE),
                    Action.RECORD));
        }
        return p.record;
    }

    /** Expands arrivals and spend days until a record is at the head of the queue. */
    private void fill() {
        while (!queue.isEmpty() && queue.peek().action != Action.RECORD) {
            Pending p = queue.poll();
            if (p.action == Action.ARRIVAL) {
                new AccountScript(arrived++, p.time).write();
                scheduleArrival();
            } else {
                spendDay(p.time);
                push(new Pending(p.time + DAY, sequence++, null, Action.SPEND_DAY));
            }
        }
    }

    private void spendDay(long day) {
        Random r = new Random(seed * 31 + day / DAY);
        for (int c = 0; c < 4; c++) {
            String channel = CHANNELS[c];
            ObjectNode n = base("ads-" + (day / DAY) + "-" + c, day + 23 * HOUR, c % 2 == 0 ? "hubspot" : "marketo");
            n.put("type", c % 2 == 0 ? "ad_spend" : "SPEND");
            n.put("channel", channel);
            n.put("campaign", CAMPAIGNS[c]);
            n.put("amount", money(200 + r.nextInt(1800)));
            if (c == 3) {
                n.put("currency", "EUR");
            }
            emit(false, null, n, day + 23 * HOUR);
        }
    }

    private ObjectNode base(String eventId, long at, String source) {
        ObjectNode n = JSON.createObjectNode();
        n.put("eventId", eventId);
        n.put("occurredAt", Instant.ofEpochMilli(at).toString());
        n.put("source", source);
        return n;
    }

    private void emit(boolean deal, String key, ObjectNode n, long at) {
        byte[] bytes = n.toString().getBytes(StandardCharsets.UTF_8);
        push(new Pending(
                at, sequence++, new GeneratedRecord(deal, key, bytes, at, GeneratedRecord.Kind.VALID), Action.RECORD));
        if (noise.nextDouble() < malformedShare) {
            byte[] bad = Malformations.corrupt(n, noise);
            push(new Pending(
                    at,
                    sequence++,
                    new GeneratedRecord(deal, key, bad, at, GeneratedRecord.Kind.MALFORMED),
                    Action.RECORD));
        }
    }

    private static double money(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** One account's life, written at its arrival. */
    private final class AccountScript {
        private final Random r;
        private final String account;
        private final String segment;
        private final String region;
        /** The account's rep; one account in nine hands its deals to another rep at a deal's first slip. */
        private String owner;

        private final boolean hubspotMarketing;
        private final boolean salesforceCrm;
        private final String channel;
        private final int index;
        private int seq;
        private int deals;

        AccountScript(int index, long arrival) {
            this.index = index;
            this.r = new Random(seed * 1_000_003L + index);
            this.account = String.format("acct-%06d", index);
            double s = r.nextDouble();
            this.segment = s < 0.6 ? "smb" : s < 0.9 ? "mid_market" : "enterprise";
            double g = r.nextDouble();
            this.region = g < 0.5 ? "amer" : g < 0.8 ? "emea" : "apac";
            this.owner = "rep-" + (1 + r.nextInt(12));
            this.hubspotMarketing = r.nextBoolean();
            this.salesforceCrm = r.nextDouble() < 0.7;
            this.channel = CHANNELS[r.nextInt(CHANNELS.length)];
            this.t = arrival;
        }

        private long t;

        private String id(String prefix) {
            return prefix + "-" + index + "-" + (seq++);
        }

        private void touch(String source, String type, String channelName, long at) {
            ObjectNode n = base(id(source.substring(0, 2)), at, source);
            n.put("accountId", account);
            n.put("contactId", "contact-" + index + "-" + (1 + r.nextInt(3)));
            n.put("type", type);
            if (channelName != null) {
                n.put("channel", channelName);
                n.put("campaign", CAMPAIGNS[Math.floorMod(channelName.hashCode() + index, CAMPAIGNS.length)]);
            }
            emit(false, account, n, at);
        }

        private void marketing(String canonical, long at) {
            String source = hubspotMarketing ? "hubspot" : "marketo";
            String type = switch (canonical) {
                case "EMAIL_OPEN" -> hubspotMarketing ? "OPEN" : "Open Email";
                case "EMAIL_CLICK" -> hubspotMarketing ? "CLICK" : "Click Email";
                case "FORM_SUBMIT" -> hubspotMarketing ? "FORM_SUBMISSION" : "Fill Out Form";
                case "LEAD_CREATED" -> hubspotMarketing ? "CONTACT_CREATED" : "New Lead";
                case "MQL" -> hubspotMarketing ? "lifecyclestage_marketingqualifiedlead" : "Marketing Qualified";
                case "SQL" -> hubspotMarketing ? "lifecyclestage_salesqualifiedlead" : "Sales Qualified";
                case "CONTENT_DOWNLOAD" -> hubspotMarketing ? "FILE_DOWNLOAD" : "Download Content";
                case "WEBINAR_ATTEND" -> hubspotMarketing ? "WEBINAR_ATTENDED" : "Attend Webinar";
                default -> canonical;
            };
            touch(
                    source,
                    type,
                    canonical.startsWith("EMAIL") ? (hubspotMarketing ? "EMAIL_MARKETING" : "email") : channel,
                    at);
        }

        private void web(String canonical, long at) {
            touch(
                    "segment",
                    canonical.equals("AD_CLICK") ? "Ad Clicked" : "Page Viewed",
                    canonical.equals("AD_CLICK") ? (channel.startsWith("paid") ? channel : "paid_search") : channel,
                    at);
        }

        private void salesTouch(String dealId, long at) {
            int kind = r.nextInt(4);
            String source = salesforceCrm ? "salesforce" : "hubspot";
            String type = salesforceCrm
                    ? new String[] {"Call", "Email", "Meeting", "Demo"}[kind]
                    : new String[] {"CALL", "EMAIL", "MEETING", "DEMO"}[kind];
            ObjectNode n = base(id(source.substring(0, 2)), at, source);
            n.put("accountId", account);
            n.put("ownerId", owner);
            n.put("type", type);
            if (dealId != null) {
                n.put("dealId", dealId);
            }
            emit(false, account, n, at);
        }

        private void product(String type, double amount, long at) {
            ObjectNode n = base(id("pr"), at, "product");
            n.put("accountId", account);
            n.put("type", type);
            if (amount >= 0) {
                n.put("amount", amount);
            }
            emit(false, account, n, at);
        }

        private void system(String source, String type, Double amount, long at) {
            ObjectNode n = base(id(source.substring(0, 2)), at, source);
            n.put("accountId", account);
            n.put("type", type);
            if (amount != null) {
                n.put("amount", amount);
            }
            emit(false, account, n, at);
        }

        private ObjectNode dealEvent(String dealId, String type, long at) {
            ObjectNode n = base(id(salesforceCrm ? "sfd" : "hsd"), at, salesforceCrm ? "salesforce" : "hubspot");
            n.put("dealId", dealId);
            n.put("accountId", account);
            n.put("type", type);
            n.put("ownerId", owner);
            return n;
        }

        private String stageName(int i) {
            return salesforceCrm ? SF_STAGES[i] : HS_STAGES[i];
        }

        void write() {
            // 1. anonymous and known marketing touches
            int touches = 1 + r.nextInt(6);
            for (int i = 0; i < touches; i++) {
                t += r.nextInt(4 * 24) * HOUR + r.nextInt(60) * MIN;
                switch (r.nextInt(5)) {
                    case 0 -> web("AD_CLICK", t);
                    case 1 -> web("WEB_VISIT", t);
                    case 2 -> marketing("EMAIL_OPEN", t);
                    case 3 -> marketing("CONTENT_DOWNLOAD", t);
                    default -> marketing(r.nextBoolean() ? "EMAIL_CLICK" : "WEBINAR_ATTEND", t);
                }
            }
            if (r.nextDouble() >= 0.8) {
                return;
            }
            // 2. lead
            t += r.nextInt(48) * HOUR;
            marketing("FORM_SUBMIT", t);
            marketing("LEAD_CREATED", t + MIN);
            if (r.nextDouble() >= 0.7) {
                return;
            }
            // 3. MQL and the hand-off: usually within hours, sometimes past the 24 h SLA
            t += (1 + r.nextInt(10)) * DAY + r.nextInt(24) * HOUR;
            long mql = t;
            marketing("MQL", mql);
            long firstTouch =
                    r.nextDouble() < 0.85 ? mql + (1 + r.nextInt(20)) * HOUR : mql + (26 + r.nextInt(46)) * HOUR;
            salesTouch(null, firstTouch);
            t = firstTouch;
            if (r.nextDouble() >= 0.6) {
                return;
            }
            t += (1 + r.nextInt(7)) * DAY;
            marketing("SQL", t);
            if (r.nextDouble() >= 0.75) {
                return;
            }
            t += r.nextInt(3) * DAY + r.nextInt(8) * HOUR;
            long sql = t;
            for (int extra = 1; extra < dealsPerAccount; extra++) {
                t = sql + extra * HOUR; // another product line's opportunity, run to its own close
                newDeal(t, "new_business", baseAmount());
            }
            t = sql;
            boolean won = newDeal(t, "new_business", baseAmount());
            if (won) {
                customer(t);
            }
        }

        private double baseAmount() {
            return switch (segment) {
                case "smb" -> 5_000 + r.nextInt(20_000);
                case "mid_market" -> 25_000 + r.nextInt(75_000);
                default -> 100_000 + r.nextInt(300_000);
            };
        }

        /** Runs one deal to its close; returns whether it was won. Leaves {@code t} at the close. */
        private boolean newDeal(long created, String dealType, double amount) {
            String dealId = (salesforceCrm ? "006" : "hs-deal-") + index + "-" + (deals++);
            long expected = created + (30 + r.nextInt(90)) * DAY;
            ObjectNode c = dealEvent(dealId, "CREATED", created);
            c.put("stage", stageName(0));
            c.put("amount", money(amount));
            if (r.nextDouble() < 0.1) {
                c.put("currency", "EUR");
                c.put("amount", money(amount / 1.08));
            }
            c.put("dealType", dealType);
            c.put("segment", segment);
            c.put("region", region);
            c.put("expectedCloseDate", date(expected));
            emit(true, account, c, created);
            long now = created;
            int slips = 0;
            for (int stage = 0; stage < STAGES.length; stage++) {
                long inStage = (2 + r.nextInt(10)) * DAY;
                if (r.nextDouble() < 0.1) {
                    inStage = (STALL_SLA_DAYS[stage] + 2 + r.nextInt(10)) * DAY; // a stall: silence past the SLA
                } else {
                    for (long at = now + (1 + r.nextInt(3)) * DAY; at < now + inStage; at += (2 + r.nextInt(4)) * DAY) {
                        salesTouch(dealId, at + r.nextInt(8) * HOUR);
                    }
                }
                if (r.nextDouble() < 0.2) {
                    long slipAt = now + inStage / 2;
                    expected += (14 + r.nextInt(31)) * DAY;
                    slips++;
                    if (slips == 1 && index % 9 == 4) {
                        // a hand-off, from the account's index: no random draw, so the rest stays as it was
                        owner = "rep-" + (1 + (Integer.parseInt(owner.substring(4)) + index) % 12);
                    }
                    ObjectNode u = dealEvent(dealId, "UPDATED", slipAt);
                    u.put("expectedCloseDate", date(expected));
                    if (slips >= 2 && index % 2 == 0) {
                        u.put("forecastCategory", salesforceCrm ? "Omitted" : "omitted"); // the rep gives up on it
                    }
                    if (r.nextBoolean()) {
                        u.put("amount", money(amount * (0.9 + r.nextDouble() * 0.3)));
                    }
                    emit(true, account, u, slipAt);
                }
                now += inStage;
                if (r.nextDouble() < (dealType.equals("new_business") ? 0.18 : 0.08) + 0.05 * slips) {
                    ObjectNode l = dealEvent(dealId, r.nextBoolean() ? "CLOSED_LOST" : "STAGE_CHANGED", now);
                    if (l.get("type").asText().equals("STAGE_CHANGED")) {
                        l.put("stage", salesforceCrm ? "Closed Lost" : "closedlost");
                    }
                    l.put("lostReason", new String[] {"price", "competitor", "no decision", "timing"}[r.nextInt(4)]);
                    emit(true, account, l, now);
                    t = now;
                    return false;
                }
                if (stage + 1 < STAGES.length) {
                    ObjectNode sc = dealEvent(dealId, "STAGE_CHANGED", now);
                    sc.put("stage", stageName(stage + 1));
                    if (stage + 1 == 3 && index % 4 == 1) {
                        sc.put("forecastCategory", salesforceCrm ? "Commit" : "commit"); // called early by the rep
                    }
                    if (stage + 1 == 3 && index % 3 == 2) {
                        sc.put("amount", money(amount * (index % 2 == 0 ? 1.1 : 0.9))); // the proposal's price
                    }
                    emit(true, account, sc, now);
                    if (stage + 1 == 3 && index % 7 == 3) {
                        // the proposal is sent back for more discovery, and comes back an hour later
                        ObjectNode back = dealEvent(dealId, "STAGE_CHANGED", now + HOUR);
                        back.put("stage", stageName(2));
                        emit(true, account, back, now + HOUR);
                        ObjectNode again = dealEvent(dealId, "STAGE_CHANGED", now + 2 * HOUR);
                        again.put("stage", stageName(3));
                        emit(true, account, again, now + 2 * HOUR);
                    }
                }
            }
            ObjectNode w = dealEvent(dealId, "CLOSED_WON", now);
            w.put("amount", money(amount));
            emit(true, account, w, now);
            t = now;
            return true;
        }

        /** Usage, tickets and NPS for a year, an expansion for some, then the renewal or churn. */
        private void customer(long since) {
            boolean atRisk = r.nextDouble() < 0.25;
            long riskFrom = since + (60 + r.nextInt(150)) * DAY;
            double usage = 50 + r.nextInt(150);
            long renewal = since + 365 * DAY;
            boolean expanded = false;
            for (long day = since + DAY; day < renewal; day += (2 + r.nextInt(2)) * DAY) {
                boolean declining = atRisk && day > riskFrom;
                product(
                        "usage",
                        money(declining ? usage * 0.2 * r.nextDouble() : usage * (0.8 + 0.4 * r.nextDouble())),
                        day + 10 * HOUR);
                if (r.nextDouble() < (declining ? 0.5 : 0.05)) {
                    system("zendesk", "ticket.created", null, day + 14 * HOUR);
                }
                if (!expanded && !atRisk && day > since + 150 * DAY && r.nextDouble() < 0.02) {
                    expanded = true;
                    long at = day + 12 * HOUR;
                    newDeal(at, "expansion", baseAmount() * 0.3);
                }
            }
            for (long q = since + 90 * DAY; q < renewal; q += 90 * DAY) {
                system(
                        "zendesk",
                        "nps.response",
                        (double) (atRisk && q > riskFrom ? r.nextInt(6) : 6 + r.nextInt(5)),
                        q);
            }
            if (atRisk) {
                if (r.nextBoolean()) {
                    product("champion_left", -1, riskFrom + 5 * DAY);
                }
                system("stripe", "invoice.payment_failed", null, riskFrom + 20 * DAY);
            }
            boolean renews = !atRisk || r.nextDouble() < 0.3;
            long opened = renewal - 30 * DAY;
            String dealId = (salesforceCrm ? "006" : "hs-deal-") + index + "-" + (deals++);
            ObjectNode c = dealEvent(dealId, "CREATED", opened);
            c.put("stage", stageName(4));
            double renewalAmount = baseAmount() * (r.nextDouble() < 0.15 ? 0.7 : 1.05);
            c.put("amount", money(renewalAmount));
            c.put("dealType", "renewal");
            c.put("segment", segment);
            c.put("region", region);
            c.put("expectedCloseDate", date(renewal));
            emit(true, account, c, opened);
            ObjectNode close = dealEvent(dealId, renews ? "CLOSED_WON" : "CLOSED_LOST", renewal);
            if (!renews) {
                close.put("lostReason", "churn");
            }
            emit(true, account, close, renewal);
        }

        private String date(long at) {
            return LocalDate.ofInstant(Instant.ofEpochMilli(at), ZoneOffset.UTC).toString();
        }
    }
}

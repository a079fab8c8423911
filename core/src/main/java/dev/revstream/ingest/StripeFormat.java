package dev.revstream.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revstream.model.ErrorCode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.Set;

/**
 * Stripe events (https://docs.stripe.com/api/events/object): {@code id} is the event id,
 * {@code created} (Unix seconds) the time, the object under {@code data.object}. The account is the
 * object's {@code metadata.accountId} (or {@code account_id}), else its Stripe customer.
 *
 * <ul>
 *   <li>{@code customer.subscription.created} of an active subscription: a won {@code new_business}
 *       deal of the subscription's ARR (each item's price per unit times its quantity, annualized
 *       from its interval, in major units); of a trialing one: a {@code TRIAL_START} touchpoint;
 *   <li>{@code customer.subscription.updated}: the change of ARR against {@code previous_attributes}
 *       (its items, quantity or plan) as a won {@code expansion} or {@code contraction}; a trial
 *       that becomes active a won {@code new_business};
 *   <li>{@code customer.subscription.deleted}: a won {@code contraction} of the whole ARR (ARR falls
 *       to 0 when it was the account's only subscription: a churn);
 *   <li>any other event whose type the mappings map to a touchpoint type
 *       ({@code invoice.payment_failed}: {@code PAYMENT_FAILED}): that touchpoint;
 *   <li>the rest: counted.
 * </ul>
 * Each ARR change is its own deal ({@code <subscription>:<event>}), so the account's ARR moves as
 * the metrics define for won deals (docs/metrics.md). Take ARR from Stripe or from the CRM's won
 * deals, not both.
 */
public final class StripeFormat implements FormatAdapter {
    static final String SOURCE = "stripe";
    /** Currencies Stripe counts in whole units (https://docs.stripe.com/currencies#zero-decimal). */
    private static final Set<String> ZERO_DECIMAL = Set.of(
            "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof",
            "xpf");

    private final SourceMappings mappings;

    public StripeFormat(SourceMappings mappings) {
        this.mappings = mappings;
    }

    @Override
    public Translation translate(JsonNode e) throws Rejection {
        if (!"event".equals(VendorJson.text(e, "object"))) {
            throw new Rejection(ErrorCode.INVALID_VALUE, "object", "a Stripe event has \"object\": \"event\"");
        }
        String eventId = VendorJson.required(e, "id", "id");
        String type = VendorJson.required(e, "type", "type");
        long created = VendorJson.requiredMillis(e, "created", "created");
        if (Math.abs(created) > 1_000_000_000_000L) {
            throw new Rejection(
                    ErrorCode.INVALID_TIME,
                    "created",
                    Long.toString(created),
                    "created " + created + " is not Unix seconds of the years 1900 to 9999");
        }
        long at = created * 1000L; // Stripe's times are Unix seconds
        JsonNode object = VendorJson.at(e, "data", "object");
        if (object == null || !object.isObject()) {
            throw new Rejection(ErrorCode.MISSING_FIELD, "data.object", "a Stripe event has its object in data.object");
        }
        JsonNode previous = VendorJson.at(e, "data", "previous_attributes");
        String account = account(object);
        return switch (type) {
            case "customer.subscription.created" -> created(object, eventId, at, account);
            case "customer.subscription.updated" -> updated(object, previous, eventId, at, account);
            case "customer.subscription.deleted" ->
                arrChange(object, eventId, at, account, "contraction", arr(object.get("items"), object));
            default ->
                mappings.type(SOURCE, type) == null
                        ? Translation.skip(SOURCE, "Stripe " + type + " is not read (no mapping to a touchpoint type)")
                        : Translation.of(
                                SOURCE,
                                CanonicalEvent.touchpoint(SOURCE, eventId, at)
                                        .put("type", type)
                                        .put("accountId", account)
                                        .build());
        };
    }

    private static Translation created(JsonNode sub, String eventId, long at, String account) throws Rejection {
        String status = String.valueOf(VendorJson.text(sub, "status"));
        if (status.equals("trialing")) {
            return Translation.of(
                    SOURCE,
                    CanonicalEvent.touchpoint(SOURCE, eventId, at)
                            .put("type", "TRIAL_START")
                            .put("accountId", account)
                            .build());
        }
        if (!status.equals("active") && !status.equals("past_due")) {
            return Translation.skip(SOURCE, "a Stripe subscription created " + status + " has no ARR yet");
        }
        return arrChange(sub, eventId, at, account, "new_business", arr(sub.get("items"), sub));
    }

    private static Translation updated(JsonNode sub, JsonNode previous, String eventId, long at, String account)
            throws Rejection {
        if (previous == null || !previous.isObject()) {
            return Translation.skip(SOURCE, "a Stripe subscription update without previous_attributes");
        }
        String status = String.valueOf(VendorJson.text(sub, "status"));
        String was = VendorJson.text(previous, "status");
        Amount now = arr(sub.get("items"), sub);
        if ("trialing".equals(was) && status.equals("active")) {
            return arrChange(sub, eventId, at, account, "new_business", now);
        }
        if (status.equals("trialing") || status.equals("incomplete")) {
            return Translation.skip(SOURCE, "a Stripe subscription update while " + status);
        }
        Amount before;
        if (previous.has("items")) {
            before = arr(previous.get("items"), sub);
        } else if (previous.has("quantity") || previous.has("plan")) {
            before = legacyBefore(sub, previous, now);
        } else {
            return Translation.skip(SOURCE, "a Stripe subscription update that leaves its ARR as it was");
        }
        BigDecimal change = now.value.subtract(before.value);
        if (change.signum() == 0) {
            return Translation.skip(SOURCE, "a Stripe subscription update that leaves its ARR as it was");
        }
        return arrChange(
                sub,
                eventId,
                at,
                account,
                change.signum() > 0 ? "expansion" : "contraction",
                new Amount(change.abs(), now.currency));
    }

    /** The ARR before a change of the legacy single-plan fields ({@code quantity}, {@code plan}). */
    private static Amount legacyBefore(JsonNode sub, JsonNode previous, Amount now) throws Rejection {
        JsonNode plan = previous.has("plan") ? previous.get("plan") : sub.get("plan");
        BigDecimal quantity = previous.has("quantity")
                ? VendorJson.decimal(previous, "previous_attributes.quantity", "quantity")
                : VendorJson.decimal(sub, "quantity", "quantity");
        if (plan == null || !plan.isObject()) {
            throw new Rejection(
                    ErrorCode.MISSING_FIELD, "plan", "a Stripe subscription's earlier quantity needs its plan");
        }
        Amount unit = annual(plan, "plan", plan);
        return new Amount(unit.value.multiply(quantity == null ? BigDecimal.ONE : quantity), now.currency);
    }

    private static Translation arrChange(
            JsonNode sub, String eventId, long at, String account, String dealType, Amount arr) throws Rejection {
        String subscription = VendorJson.required(sub, "data.object.id", "id");
        return Translation.of(
                SOURCE,
                CanonicalEvent.deal(SOURCE, eventId, at)
                        .put("type", "CLOSED_WON")
                        .put("dealId", VendorJson.eventId(subscription, eventId))
                        .put("accountId", account)
                        .put("dealType", dealType)
                        .put("amount", arr.value)
                        .put("currency", arr.currency)
                        .attributes(sub.get("metadata"))
                        .build());
    }

    private static String account(JsonNode object) {
        String fromMetadata = VendorJson.firstText(object.get("metadata"), "accountId", "account_id");
        if (fromMetadata != null) {
            return fromMetadata;
        }
        JsonNode customer = object.get("customer");
        return customer != null && customer.isObject()
                ? VendorJson.text(customer, "id")
                : VendorJson.text(object, "customer");
    }

    private record Amount(BigDecimal value, String currency) {}

    /** The annual value of a subscription's items ({@code {"data": [...]}}), in major units. */
    private static Amount arr(JsonNode items, JsonNode sub) throws Rejection {
        JsonNode data = items == null ? null : items.get("data");
        if (data == null || !data.isArray()) {
            throw new Rejection(ErrorCode.MISSING_FIELD, "items.data", "a Stripe subscription lists its items");
        }
        BigDecimal total = BigDecimal.ZERO;
        String currency = VendorJson.text(sub, "currency");
        for (JsonNode item : data) {
            JsonNode price = item.has("price") ? item.get("price") : item.get("plan");
            if (price == null || !price.isObject()) {
                throw new Rejection(ErrorCode.MISSING_FIELD, "items.data.price", "a Stripe item has a price");
            }
            Amount unit = annual(price, "items.data.price", sub);
            BigDecimal quantity = VendorJson.decimal(item, "items.data.quantity", "quantity");
            total = total.add(unit.value.multiply(quantity == null ? BigDecimal.ONE : quantity));
            currency = unit.currency;
        }
        return new Amount(total, currency == null ? null : currency.toUpperCase(Locale.ROOT));
    }

    /** One unit's annual value of a price (or a legacy plan), in major units of its currency. */
    private static Amount annual(JsonNode price, String what, JsonNode sub) throws Rejection {
        String currency = VendorJson.text(price, "currency");
        if (currency == null) {
            currency = VendorJson.text(sub, "currency");
        }
        BigDecimal minor = VendorJson.decimal(price, what + ".unit_amount_decimal", "unit_amount_decimal");
        if (minor == null) {
            minor = VendorJson.decimal(price, what + ".unit_amount", "unit_amount");
        }
        if (minor == null) {
            minor = VendorJson.decimal(price, what + ".amount", "amount");
        }
        if (minor == null) {
            throw new Rejection(
                    ErrorCode.MISSING_FIELD,
                    what + ".unit_amount",
                    "a Stripe price without a unit amount (tiered prices are not read)");
        }
        String interval = VendorJson.text(price, "recurring", "interval");
        BigDecimal count = VendorJson.decimal(price, what + ".recurring.interval_count", "recurring", "interval_count");
        if (interval == null) {
            interval = VendorJson.text(price, "interval");
            count = VendorJson.decimal(price, what + ".interval_count", "interval_count");
        }
        BigDecimal perYear = switch (interval == null ? "" : interval) {
            case "day" -> BigDecimal.valueOf(365);
            case "week" -> BigDecimal.valueOf(52);
            case "month" -> BigDecimal.valueOf(12);
            case "year" -> BigDecimal.ONE;
            default ->
                throw new Rejection(
                        ErrorCode.INVALID_VALUE,
                        what + ".recurring.interval",
                        interval,
                        "a Stripe subscription price recurs by day, week, month or year, not " + interval);
        };
        if (count != null && count.signum() > 0) {
            perYear = perYear.divide(count, MathContext.DECIMAL64);
        }
        boolean zeroDecimal = currency != null && ZERO_DECIMAL.contains(currency.toLowerCase(Locale.ROOT));
        BigDecimal major = zeroDecimal ? minor : minor.movePointLeft(2);
        return new Amount(major.multiply(perYear), currency == null ? null : currency.toUpperCase(Locale.ROOT));
    }
}

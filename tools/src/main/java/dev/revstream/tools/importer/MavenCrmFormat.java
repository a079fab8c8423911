package dev.revstream.tools.importer;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Maven Analytics "CRM + Sales + Opportunities" export: {@code sales_pipeline.csv} with
 * {@code accounts.csv}, {@code products.csv} and {@code sales_teams.csv} beside it.
 *
 * <p>{@code engage_date} is the creation and {@code close_date} the close, both midnights in the
 * zone. {@code Prospecting} is {@code QUALIFICATION}; {@code Engaging}, {@code Won} and {@code Lost}
 * deals are created in {@code DISCOVERY}; a won deal closes with its {@code close_value}. The amount
 * at creation is the product's list price (names compared without blanks and case: the pipeline
 * says {@code GTXPro}, the price list {@code GTX Pro}). Segment by the account's employees (under
 * 1,000 smb, under 5,000 mid_market, else enterprise); region by the agent's regional office. A
 * row without a date or an account cannot become events and is reported with the reason. Event ids
 * ({@code <id>-1-created}, {@code <id>-2-closed}) sort the creation first should both fall on one day.
 */
public final class MavenCrmFormat implements CrmFormat {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("M/d/yyyy", Locale.ROOT);
    static final String SOURCE = "maven-crm";

    @Override
    public String name() {
        return "maven-crm";
    }

    @Override
    public CrmRecords read(Path file, ZoneId zone) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Map<String, BigDecimal> prices = new HashMap<>();
        for (Map<String, String> p : rows(dir.resolve("products.csv"))) {
            prices.put(productKey(p.get("product")), new BigDecimal(p.get("sales_price")));
        }
        Map<String, String> segments = new HashMap<>();
        for (Map<String, String> a : rows(dir.resolve("accounts.csv"))) {
            segments.put(a.get("account"), segment(a.get("employees")));
        }
        Map<String, String> regions = new HashMap<>();
        for (Map<String, String> t : rows(dir.resolve("sales_teams.csv"))) {
            regions.put(t.get("sales_agent"), t.get("regional_office").trim().toLowerCase(Locale.ROOT));
        }
        CrmRecords out = new CrmRecords();
        int line = 1;
        for (Map<String, String> r : rows(file)) {
            line++;
            out.rows++;
            String id = r.get("opportunity_id");
            String account = blankToNull(r.get("account"));
            String stage = r.get("deal_stage");
            if (account == null) {
                out.rejected.add(new CrmRecords.Rejected(line, id, "no account"));
                continue;
            }
            LocalDate engaged = date(r.get("engage_date"));
            if (engaged == null) {
                out.rejected.add(new CrmRecords.Rejected(line, id, "no engage_date (creation date)"));
                continue;
            }
            BigDecimal price = prices.get(productKey(r.get("product")));
            if (price == null) {
                out.rejected.add(
                        new CrmRecords.Rejected(line, id, "product '" + r.get("product") + "' is not in products.csv"));
                continue;
            }
            boolean closes = stage.equals("Won") || stage.equals("Lost");
            LocalDate closed = date(r.get("close_date"));
            if (closes && closed == null) {
                out.rejected.add(new CrmRecords.Rejected(line, id, "a " + stage + " deal without close_date"));
                continue;
            }
            long createdAt = engaged.atStartOfDay(zone).toInstant().toEpochMilli();
            ObjectNode created = event(id + "-1-created", createdAt, id, account, "CREATED");
            created.put("stage", stage.equals("Prospecting") ? "QUALIFICATION" : "DISCOVERY");
            created.put("amount", price);
            created.put("dealType", "new_business");
            created.put("ownerId", r.get("sales_agent"));
            putIfPresent(created, "segment", segments.get(account));
            putIfPresent(created, "region", regions.get(r.get("sales_agent")));
            add(out, account, created, createdAt);
            if (closes) {
                long closedAt = closed.atStartOfDay(zone).toInstant().toEpochMilli();
                ObjectNode close = event(
                        id + "-2-closed", closedAt, id, account, stage.equals("Won") ? "CLOSED_WON" : "CLOSED_LOST");
                if (stage.equals("Won")) {
                    close.put("amount", new BigDecimal(r.get("close_value")));
                }
                add(out, account, close, closedAt);
            }
        }
        return out;
    }

    private static void add(CrmRecords out, String account, ObjectNode event, long at) {
        out.events.add(new CrmRecords.DealEvent(account, event.toString(), at));
        out.latest = Math.max(out.latest, at);
    }

    private static ObjectNode event(String eventId, long at, String dealId, String account, String type) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("eventId", eventId);
        n.put("occurredAt", Instant.ofEpochMilli(at).toString());
        n.put("source", SOURCE);
        n.put("dealId", dealId);
        n.put("accountId", account);
        n.put("type", type);
        return n;
    }

    static String segment(String employees) {
        if (employees == null || employees.isBlank()) {
            return null;
        }
        long n = Long.parseLong(employees.trim());
        return n < 1_000 ? "smb" : n < 5_000 ? "mid_market" : "enterprise";
    }

    static String productKey(String product) {
        return product == null ? "" : product.replace(" ", "").toLowerCase(Locale.ROOT);
    }

    private static LocalDate date(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(s.trim(), DATE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static void putIfPresent(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    private static Iterable<Map<String, String>> rows(Path csv) throws IOException {
        if (!Files.isRegularFile(csv)) {
            throw new IOException(
                    "the Maven CRM format reads " + csv.getFileName() + " beside the opportunities file, and "
                            + csv.getParent() + " has none: import from the export's folder as downloaded");
        }
        CsvMapper mapper = new CsvMapper();
        try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(csv.toFile())) {
            return it.readAll();
        }
    }
}

package dev.revstream.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.revstream.model.ErrorCode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;

/** Reading the fields of a vendor's JSON: text, numbers that vendors send as text, and times. */
final class VendorJson {
    private VendorJson() {}

    /** The text at a path (a number as its text), or null when absent, null or blank. */
    static String text(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        if (n == null || n.isNull() || n.isMissingNode() || n.isContainerNode()) {
            return null;
        }
        String s = n.isTextual() ? n.textValue() : n.asText();
        return s.isBlank() ? null : s.trim();
    }

    static JsonNode at(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(p);
        }
        return n;
    }

    /** The first text among several paths' last fields, under one parent. */
    static String firstText(JsonNode parent, String... fields) {
        for (String f : fields) {
            String s = text(parent, f);
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    /** A text the record must have, named by its path for the dead letter. */
    static String required(JsonNode node, String what, String... path) throws Rejection {
        String s = text(node, path);
        if (s == null) {
            throw new Rejection(ErrorCode.MISSING_FIELD, what, what + " is required");
        }
        return s;
    }

    /** A number given as a JSON number or as its text ("48000", "1.5e3"); null when absent or blank. */
    static BigDecimal decimal(JsonNode node, String what, String... path) throws Rejection {
        JsonNode n = at(node, path);
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        if (n.isTextual()) {
            String s = n.textValue().trim();
            if (s.isEmpty()) {
                return null;
            }
            if (s.length() > 64) {
                throw new Rejection(ErrorCode.INVALID_VALUE, what, s.substring(0, 64), what + " is not a number");
            }
            try {
                return new BigDecimal(s);
            } catch (NumberFormatException e) {
                throw new Rejection(ErrorCode.INVALID_VALUE, what, s, what + " '" + s + "' is not a number");
            }
        }
        throw new Rejection(ErrorCode.WRONG_TYPE, what, what + " must be a number");
    }

    /** A whole number of epoch milliseconds (a number or its text); null when absent. */
    static Long millis(JsonNode node, String what, String... path) throws Rejection {
        BigDecimal d = decimal(node, what, path);
        if (d == null) {
            return null;
        }
        try {
            return d.longValueExact();
        } catch (ArithmeticException e) {
            throw new Rejection(ErrorCode.INVALID_TIME, what, d.toPlainString(), what + " is not whole milliseconds");
        }
    }

    /** Whole epoch milliseconds the record must have. */
    static long requiredMillis(JsonNode node, String what, String... path) throws Rejection {
        Long ms = millis(node, what, path);
        if (ms == null) {
            throw new Rejection(ErrorCode.MISSING_FIELD, what, what + " is required");
        }
        return ms;
    }

    /** An ISO-8601 instant, or null when absent. */
    static Long instant(JsonNode node, String what, String... path) throws Rejection {
        String s = text(node, path);
        if (s == null) {
            return null;
        }
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME
                    .parse(s, Instant::from)
                    .toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new Rejection(ErrorCode.INVALID_TIME, what, s, what + " '" + s + "' is not an ISO-8601 instant");
        }
    }

    /**
     * The visitor id of an e-mail address: {@code email:} and the hex SHA-256 of the address in lower
     * case, trimmed (the address itself is not kept); null for none.
     */
    static String emailVisitor(String email) {
        if (email == null || !email.contains("@")) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(email.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return "email:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** An id short enough for the contract's eventId, the parts joined by ':'. */
    static String eventId(String... parts) {
        String id = String.join(":", parts);
        if (id.length() <= 128) {
            return id;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return id.substring(0, 80) + "~" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

package dev.revstream.ingest;

import dev.revstream.model.ErrorCode;

/** Why the contract rejects a record; thrown inside the parser, turned into a dead letter by it. */
public final class Rejection extends Exception {
    private static final long serialVersionUID = 1L;

    final ErrorCode code;
    final String field;
    final String value;

    public Rejection(ErrorCode code, String field, String value, String message) {
        // no stack trace: rejections are expected input, not bugs, and can be frequent
        super(message, null, false, false);
        this.code = code;
        this.field = field;
        this.value = value;
    }

    public Rejection(ErrorCode code, String field, String message) {
        this(code, field, null, message);
    }
}

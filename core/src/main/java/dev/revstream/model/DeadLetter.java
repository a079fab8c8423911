package dev.revstream.model;

/**
 * An input record the contract rejects, with everything needed to find, understand and replay it.
 *
 * <p>{@code payload} holds at most the configured number of leading bytes of the original value
 * ({@code truncated} says when it was cut); {@code payloadLength} and {@code payloadSha256} describe
 * the whole value, so the dead-letter record stays small enough that writing it cannot fail.
 *
 * @param errorCode one of {@link ErrorCode}
 * @param field the offending field, when one is to blame
 * @param value the offending value as text (for unmapped names), else null
 * @param message a sentence for a person
 * @param source the producing system when it could be read, else null
 * @param rejectedAt wall-clock time of rejection, epoch milliseconds
 * @param key the original record key, or null
 * @param ingestedAt the Kafka record timestamp
 */
public record DeadLetter(
        ErrorCode errorCode,
        String field,
        String value,
        String message,
        String source,
        long rejectedAt,
        String topic,
        int partition,
        long offset,
        byte[] key,
        long ingestedAt,
        byte[] payload,
        int payloadLength,
        String payloadSha256,
        boolean truncated) {}

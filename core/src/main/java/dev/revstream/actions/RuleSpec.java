package dev.revstream.actions;

import java.io.Serializable;

/**
 * One rule as written in the rule file, before compilation.
 *
 * @param id unique in the file; part of every recommendation's id, so renaming a rule closes its open items
 * @param scope deal, lead or customer
 * @param when a CEL expression over the facts of {@link FactCatalog}, of type bool
 * @param action {@code ADVANCE_TO_CLOSING}, {@code RETURN_TO_NURTURE}, {@code ESCALATE}, {@code EXPANSION_PLAY},
 *     {@code REASSIGN_OWNER} or a name of the user's (upper case letters, digits, _)
 * @param priority 1 (most urgent) to 5
 * @param team marketing, sales or customer-success
 * @param message a text where {@code {fact}} is replaced by the fact's value
 */
public record RuleSpec(
        String id,
        String description,
        Scope scope,
        String when,
        String action,
        int priority,
        String team,
        String message)
        implements Serializable {}

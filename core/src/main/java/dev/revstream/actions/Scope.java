package dev.revstream.actions;

import java.util.Locale;

/** What a rule looks at: each open deal, an account still in the lead funnel, or a paying customer. */
public enum Scope {
    /** Every open deal of the account; deal facts and account facts. */
    DEAL,
    /** The account while its lifecycle is {@code lead}, {@code mql} or {@code sql}. */
    LEAD,
    /** The account while its ARR is above 0. */
    CUSTOMER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code deal}, {@code lead} or {@code customer} (any case); null when it is none of them. */
    public static Scope parse(String s) {
        for (Scope v : values()) {
            if (v.wireName().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return v;
            }
        }
        return null;
    }
}

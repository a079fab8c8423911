package dev.revstream.actions;

import java.util.List;

/** A rule file that cannot run: every problem, each naming its rule (and position in the condition). */
public class RuleException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public RuleException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}

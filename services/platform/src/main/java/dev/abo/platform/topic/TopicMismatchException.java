package dev.abo.platform.topic;

import java.util.List;

/** Existing topics differ from their declaration in a way that breaks the services; one line per problem. */
public final class TopicMismatchException extends IllegalStateException {

    private final List<String> problems;

    public TopicMismatchException(List<String> problems) {
        super("existing topics do not match their declaration: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** E.g. {@code "topic anchors.snapshots: cleanup.policy is delete, declared compact"}. */
    public List<String> problems() {
        return problems;
    }
}

package io.dicomspanner.gateway.error;

import java.util.ArrayList;
import java.util.List;

/** A request that is well-formed JSON but breaks a rule that spans fields or needs the database to check. */
public class InvalidRequestException extends RuntimeException {

    private final List<FieldProblem> problems;

    public InvalidRequestException(List<FieldProblem> problems) {
        super(problems.size() + " invalid field(s)");
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid request names at least one field");
        }
        this.problems = List.copyOf(problems);
    }

    public InvalidRequestException(String field, String message) {
        this(List.of(new FieldProblem(field, message)));
    }

    public List<FieldProblem> problems() {
        return problems;
    }

    /** Collects the problems of one request, to report them all at once. */
    public static final class Collector {
        private final List<FieldProblem> problems = new ArrayList<>();

        public Collector add(String field, String message) {
            problems.add(new FieldProblem(field, message));
            return this;
        }

        /** What was collected so far, in order. */
        public List<FieldProblem> problems() {
            return List.copyOf(problems);
        }

        /** Whether nothing was collected yet. */
        public boolean isEmpty() {
            return problems.isEmpty();
        }

        /** Throws if anything was collected. */
        public void throwIfAny() {
            if (!problems.isEmpty()) {
                throw new InvalidRequestException(problems);
            }
        }
    }
}

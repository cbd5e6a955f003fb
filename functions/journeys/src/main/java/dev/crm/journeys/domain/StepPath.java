package dev.crm.journeys.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Where an enrolment stands in its journey's steps: {@code "2"} is the third top-level step,
 * {@code "1.then.0"} the first step of the then-list of the branch at 1. {@code ""} is past the end.
 */
public final class StepPath {
    public static final String END = "";

    private StepPath() {}

    public static String first(List<Step> steps) {
        return steps.isEmpty() ? END : "0";
    }

    /** The step at the path, or null past the end (or for a path the definition does not have). */
    public static Step at(List<Step> steps, String path) {
        if (path == null || path.isEmpty()) {
            return null;
        }
        String[] parts = path.split("\\.");
        List<Step> list = steps;
        Step step = null;
        for (int i = 0; i < parts.length; i++) {
            int index = Integer.parseInt(parts[i]);
            if (index < 0 || index >= list.size()) {
                return null;
            }
            step = list.get(index);
            if (i + 1 < parts.length) {
                if (!(step instanceof Step.Branch b)) {
                    return null;
                }
                list = "then".equals(parts[++i]) ? b.then() : b.otherwise();
            }
        }
        return step;
    }

    /** The first step of a branch's chosen list, or the step after the branch when that list is empty. */
    public static String enter(List<Step> steps, String branchPath, boolean then) {
        Step.Branch b = (Step.Branch) at(steps, branchPath);
        List<Step> list = then ? b.then() : b.otherwise();
        return list.isEmpty() ? next(steps, branchPath) : branchPath + "." + (then ? "then" : "else") + ".0";
    }

    /** The step after the one at {@code path}: its next sibling, else the step after its branch, else the end. */
    public static String next(List<Step> steps, String path) {
        List<String> parts = new ArrayList<>(List.of(path.split("\\.")));
        while (!parts.isEmpty()) {
            int last = Integer.parseInt(parts.get(parts.size() - 1));
            String candidate = join(parts.subList(0, parts.size() - 1), Integer.toString(last + 1));
            if (at(steps, candidate) != null) {
                return candidate;
            }
            if (parts.size() < 3) {
                return END;
            }
            parts = new ArrayList<>(parts.subList(0, parts.size() - 2)); // up to the branch
        }
        return END;
    }

    private static String join(List<String> prefix, String last) {
        return prefix.isEmpty() ? last : String.join(".", prefix) + "." + last;
    }

    /** The JSON pointer of the step at the path within the definition ({@code /steps/1/branch/then/0}). */
    public static String pointer(String path) {
        StringBuilder b = new StringBuilder("/steps");
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length; i++) {
            b.append('/').append(parts[i]);
            if (i + 1 < parts.length) {
                b.append("/branch/").append(parts[++i]);
            }
        }
        return b.toString();
    }
}

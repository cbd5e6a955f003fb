package dev.crm.shared.jobs;

import java.util.ArrayList;
import java.util.List;

/**
 * The non-blank lines of an NDJSON import body, as every NDJSON import (cases, survey responses,
 * consent) reads them: blank lines are not lines, so line numbers in rejects count the non-blank ones
 * from 1; an empty file or one past the import's limit is refused as a whole, before anything is stored.
 */
public final class NdjsonLines {
    private NdjsonLines() {}

    /** @throws Unreadable when the body has no line or more than {@code maxLines} */
    public static List<String> read(String body, int maxLines) {
        List<String> out = new ArrayList<>();
        for (String line : body.split("\r?\n", -1)) {
            if (!line.isBlank()) {
                out.add(line);
                if (out.size() > maxLines) {
                    throw new Unreadable("at most " + maxLines + " lines per import");
                }
            }
        }
        if (out.isEmpty()) {
            throw new Unreadable("the file has no lines");
        }
        return out;
    }

    /** The file as a whole cannot be read; the message is safe to show. */
    public static final class Unreadable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Unreadable(String message) {
            super(message, null, false, false);
        }
    }
}

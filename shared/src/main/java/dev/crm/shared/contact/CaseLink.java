package dev.crm.shared.contact;

import dev.crm.shared.json.Times;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the contact's own partition knows about one of its cases (docs/data-model.md, "Cases"): written
 * by the cases function with every write of the case, read by the contacts function (360° view,
 * erasure) and the churn run, which must not use the cases module's code.
 *
 * @param status         the case's status on the wire ({@code new}, {@code open}, …)
 * @param solvedAt       the last time it was solved, or null
 * @param lastBreachedAt the last SLA breach of the case, or null (none, or not known to the writer)
 */
public record CaseLink(String caseId, String contactId, long number, String subject, String status, Instant createdAt,
        Instant solvedAt, Instant lastBreachedAt) {
    /** The statuses of a case nobody has resolved yet: what "open cases" counts. */
    public static final Set<String> UNRESOLVED = Set.of("new", "open", "pending", "on_hold");

    public boolean unresolved() {
        return UNRESOLVED.contains(status);
    }

    /** Resolved by an agent: the resolution on the timeline. */
    public boolean solved() {
        return solvedAt != null && ("solved".equals(status) || "closed".equals(status));
    }

    /** {@code CS-000001}, as the case API shows it. */
    public String displayNumber() {
        return String.format(Locale.ROOT, "CS-%06d", number);
    }

    /** The link as the 360° view lists it. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", caseId);
        m.put("number", displayNumber());
        m.put("subject", subject);
        m.put("status", status);
        m.put("createdAt", Times.format(createdAt));
        m.put("solvedAt", solvedAt == null ? null : Times.format(solvedAt));
        return m;
    }
}

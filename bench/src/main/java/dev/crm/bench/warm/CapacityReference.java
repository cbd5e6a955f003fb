package dev.crm.bench.warm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The least capacity each route's access pattern needs, from the access-pattern table of
 * docs/data-model.md (items under 1 KB written / 4 KB read; a transactional write costs 2 WCU per
 * item, a strongly consistent read 1 RCU, an eventually consistent one 0.5; the table's figures are
 * for the base table, so index writes are left out here too). The fixture the harness makes: a tenant
 * with two active keys (admin + read), and for contact routes one contact (or segment) made by the
 * route that creates it. A sample-specific line wins over its route's line (two samples of
 * {@code GET /v1/contacts/{id}}).
 */
public final class CapacityReference {
    /** @param patterns the rows of the access-pattern table, e.g. "T3" or "T1 + I1" */
    public record Minimum(String patterns, double rcu, double wcu, String how) {}

    public static final Map<String, Minimum> BY_ROUTE = new LinkedHashMap<>();
    public static final Map<String, Minimum> BY_SAMPLE = new LinkedHashMap<>();

    static {
        BY_ROUTE.put("authorizer", new Minimum("T2", 2, 0, "2 consistent GetItems"));
        BY_ROUTE.put("POST /v1/tenants", new Minimum("T1 + I1", 0, 12,
                "TransactWriteItems 5 items × 2 WCU; idempotency PutItem + UpdateItem"));
        BY_ROUTE.put("DELETE /v1/tenants/{tenantId}", new Minimum("T8", 0.5, 10,
                "Query keys (eventual, ≤ 4 KB); TransactWriteItems tenant + slug + 2 key lookups + job = 5 items × 2 WCU"));
        BY_ROUTE.put("GET /v1/tenants/{tenantId}/deprovisioning", new Minimum("(job read)", 1, 0,
                "consistent GetItem of the job (no row in the table)"));
        BY_ROUTE.put("GET /v1/tenant", new Minimum("T3", 1, 0, "consistent GetItem"));
        BY_ROUTE.put("PATCH /v1/tenant/settings", new Minimum("T3 + T4", 1, 1,
                "GetItem (merge-patch needs the current settings); conditional UpdateItem"));
        BY_ROUTE.put("POST /v1/tenant/keys", new Minimum("T5", 0, 6, "TransactWriteItems 3 items × 2 WCU"));
        BY_ROUTE.put("GET /v1/tenant/keys", new Minimum("T6", 0.5, 0, "Query (eventual, ≤ 4 KB)"));
        BY_ROUTE.put("DELETE /v1/tenant/keys/{keyId}", new Minimum("T7", 1, 6,
                "GetItem key; TransactWriteItems 3 items × 2 WCU"));

        BY_ROUTE.put("POST /v1/contacts", new Minimum("C1 + I1", 0, 8,
                "TransactWriteItems contact + email guard + external-id guard = 3 items × 2 WCU; idempotency 2 WCU"));
        BY_ROUTE.put("GET /v1/contacts/{id}", new Minimum("C2", 1, 0, "consistent GetItem"));
        BY_SAMPLE.put("contacts/get-contact-360.json", new Minimum("C8", 1.5, 0,
                "Query A# (consistent, ≤ 4 KB) + Query T# (eventual)"));
        BY_ROUTE.put("PATCH /v1/contacts/{id}", new Minimum("C2 + C3", 1, 1,
                "GetItem (merge-patch needs the current contact); PutItem with version condition"));
        BY_ROUTE.put("GET /v1/contacts", new Minimum("C4", 0.5, 0, "Query GSI1 (eventual, ≤ 4 KB)"));
        BY_ROUTE.put("POST /v1/contacts/{id}/interactions", new Minimum("C6", 2, 10,
                "GetItem summary + day; TransactWriteItems check contact, guard, entry, summary, day = 5 items × 2 WCU"));
        BY_ROUTE.put("GET /v1/contacts/{id}/timeline", new Minimum("C7", 0.5, 0, "Query T# (eventual, ≤ 4 KB)"));
        BY_ROUTE.put("GET /v1/segments/{id}/contacts", new Minimum("C10", 2, 0,
                "GetItem segment (its rule); Query GSI1 page + BatchGetItem summaries (eventual, ≤ 4 KB each)"));
        BY_ROUTE.put("DELETE /v1/contacts/{id}", new Minimum("J4", 0, 4,
                "TransactWriteItems mark erasing + job = 2 items × 2 WCU"));
        BY_ROUTE.put("GET /v1/contacts/{id}/export", new Minimum("J5", 0.5, 0, "Query the partition (eventual, ≤ 4 KB)"));
        BY_ROUTE.put("GET /v1/contacts/imports/{id}", new Minimum("(job read)", 1, 0, "consistent GetItem of the job"));
        BY_ROUTE.put("GET /v1/contacts/erasures/{id}", new Minimum("(job read)", 1, 0, "consistent GetItem of the job"));
        BY_ROUTE.put("GET /v1/contacts/anonymizations/{id}", new Minimum("(job read)", 1, 0,
                "consistent GetItem of the job"));

        BY_ROUTE.put("GET /v1/churn-alerts", new Minimum("R5", 0.5, 0, "Query GSI1 (eventual, ≤ 4 KB)"));
        BY_ROUTE.put("POST /v1/churn-alerts/{id}/acknowledge", new Minimum("R6", 0, 1, "conditional UpdateItem"));
        BY_ROUTE.put("POST /v1/churn-alerts/{id}/resolve", new Minimum("R6", 0, 1, "conditional UpdateItem"));
    }

    /** The minimum for a sample: its own line, else its route's, else null. */
    public static Minimum of(String sample, String route) {
        Minimum m = BY_SAMPLE.get(sample);
        return m != null ? m : BY_ROUTE.get(route);
    }


    private static final Pattern ROW = Pattern.compile("^\\|\\s*([A-Z]\\d+)\\s*\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|\\s*$");

    /** The access-pattern rows of docs/data-model.md: id to "pattern — cost". */
    public static Map<String, String> documented(Path dataModel) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(dataModel)) {
                Matcher m = ROW.matcher(line.trim());
                if (m.matches()) {
                    String cost = m.group(4).trim();
                    out.put(m.group(1), m.group(2).trim() + (cost.isEmpty() ? "" : " — " + cost));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}

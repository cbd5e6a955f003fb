package dev.crm.cases.store.dynamodb;

import dev.crm.shared.jobs.store.dynamodb.ImportLines;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;

/** The key formats of case arrivals and case history imports (docs/data-model.md, "Case arrivals", "Case imports"). */
public final class CaseMeasureKeys {
    private CaseMeasureKeys() {}

    /** One partition per tenant: an entry per case, sorted by the instant it was created. */
    public static String arrivals(TenantId t) {
        return t.value() + "#CASEARRIVALS";
    }

    /** Creation instant (fixed width, UTC, ms) then the case id: time order, unique. */
    public static String arrival(Instant createdAt, String caseId) {
        return Keys.sortableInstant(createdAt) + "#" + caseId;
    }

    /** The lower bound of the arrivals at or after {@code t} (and the exclusive upper bound of those before it). */
    public static String arrivalBound(Instant t) {
        return Keys.sortableInstant(t);
    }

    /** Import lines and outcomes live in the import job's partition ({@code Keys.job}): CHUNK#0000, LINE#000001. */
    static final ImportLines.Layout IMPORT_LINES = new ImportLines.Layout("CASE", "CHUNK#", "LINE#");
}

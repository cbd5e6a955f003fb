package dev.crm.cases.domain.measures;

import dev.crm.cases.domain.HistoryEntry;
import dev.crm.cases.domain.SupportCase;
import dev.crm.shared.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A tenant's cases by the time they were created, for the measures and the forecast
 * (docs/data-model.md, "Case arrivals"): every case has an arrival entry, written with the case.
 */
public interface CaseRecordsRepository {

    /** One case's arrival: when it was created and on which channel (neither ever changes). */
    record Arrival(String caseId, Instant createdAt, SupportCase.Channel channel) {}

    /**
     * The arrivals in {@code [from, before)}, oldest first, on {@code channel} (null: every channel).
     *
     * @throws TooMany when there are more than {@code max}
     */
    List<Arrival> arrivals(TenantId tenant, Instant from, Instant before, SupportCase.Channel channel, int max);

    /** The cases with these ids (a case that is gone is left out), in no particular order. */
    List<SupportCase> cases(TenantId tenant, List<String> caseIds);

    /** Each case's whole history, oldest first. */
    Map<String, List<HistoryEntry>> histories(TenantId tenant, List<String> caseIds);

    /** More items than a request may read: the caller narrows its range. */
    final class TooMany extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int max;

        public TooMany(int max) {
            super("too many", null, false, false);
            this.max = max;
        }

        public int max() {
            return max;
        }
    }
}

package dev.crm.surveys.domain;

import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.SurveyRepository.Respondent;
import dev.crm.surveys.domain.SurveyRepository.ScoresView;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lines of a survey response import, their outcomes, and the batched writes that store them as
 * responses (docs/data-model.md, "Survey response imports"). Domain types only.
 */
public interface ResponseImportRepository {

    /** Stores the lines in chunks under the job; returns the number of lines in each chunk. */
    List<Integer> storeLines(TenantId tenant, String jobId, List<String> lines);

    /** The lines of chunk {@code index} (empty when there is no such chunk). */
    List<String> chunk(TenantId tenant, String jobId, int index);

    /** Deletes the stored lines once every line has its outcome (they hold answers and contact ids). */
    void dropLines(TenantId tenant, String jobId, int chunks);

    /** Lines in a range that have an outcome: in an applied part, or rejected. */
    record Done(Set<Integer> applied, Set<Integer> rejected) {}

    /** The outcomes of the lines (1-based) in {@code [fromLine, toLineExclusive)}: every applied part of a step lies in it. */
    Done done(TenantId tenant, String jobId, int fromLine, int toLineExclusive);

    /** Records rejected lines (line → its violations: pointer, detail); recording one twice changes nothing. */
    void reject(TenantId tenant, String jobId, Map<Integer, List<Map<String, Object>>> errors);

    /** The active contacts among {@code contactIds} (absent, erasing or anonymised ones are left out). */
    Set<String> activeContacts(TenantId tenant, Collection<String> contactIds);

    /** The contacts' response guards for the survey (contacts that have not responded are absent). */
    Map<String, Respondent> respondents(TenantId tenant, String surveyId, Collection<String> contactIds);

    /** The contacts' latest-scores views and their versions (0: never written). */
    Map<String, ScoresView> latestScores(TenantId tenant, Collection<String> contactIds);

    /** One shard's counters of one day. */
    record CounterKey(int shard, LocalDate day) {}

    /**
     * What a part does to one contact, as a live submission does it: its response becomes the contact's
     * one response to the survey (replacing {@code replaced}, whose item and timeline entry go), and
     * its latest scores move on.
     *
     * @param scoresView the new latest-scores view, or null to leave it
     */
    record ContactChange(RecordedResponse response, Respondent replaced, RecordedResponse replacedResponse,
            Map<String, Object> scoresView, long scoresVersion, Integer latestNps) {}

    /**
     * A group of lines applied in one transaction: the counters they change (summed per shard and
     * day), each contact's change, and the part's applied marker (keyed by its first line) that lists
     * {@code lines}.
     */
    record Part(TenantId tenant, StoredSurvey survey, String jobId, List<Integer> lines,
            Map<CounterKey, ScoreCounts> counters, List<ContactChange> contacts) {}

    /**
     * @return false when the part was applied before (its marker exists: a replayed step)
     * @throws dev.crm.shared.store.StoreException.Contention when a contact, its guard or its scores
     *         changed since read (or a transaction conflict): read again and plan again
     */
    boolean apply(Part part);

    /**
     * Puts the responses' items (response, id guard, and for a contact's its timeline entry), marked
     * as imported by the job so that no event announces them. Their keys and contents derive from the
     * job and line, so putting them again writes the same items.
     */
    void putResponses(TenantId tenant, StoredSurvey survey, String jobId, List<RecordedResponse> responses);

    record Rejection(int line, List<Map<String, Object>> errors) {}

    /** Lines imported (the applied parts' lines) and the rejected lines in line order. */
    record Tally(long imported, List<Rejection> rejected) {}

    Tally tally(TenantId tenant, String jobId);
}

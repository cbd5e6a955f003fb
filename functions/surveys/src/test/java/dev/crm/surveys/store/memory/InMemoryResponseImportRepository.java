package dev.crm.surveys.store.memory;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.jobs.store.dynamodb.ImportLines;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.RecordedResponse;
import dev.crm.surveys.domain.ResponseImportRepository;
import dev.crm.surveys.domain.StoredSurvey;
import dev.crm.surveys.domain.SurveyRepository.Respondent;
import dev.crm.surveys.domain.SurveyRepository.ScoresView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link ResponseImportRepository} in memory, held to the same contract as the adapter: chunks cut where
 * the adapter cuts them, a part applied all or nothing with its marker, its own contacts, response guards
 * and latest scores. Counters are not kept (nothing reads them through this port).
 */
public final class InMemoryResponseImportRepository implements ResponseImportRepository {
    private record JobKey(TenantId tenant, String jobId) {}

    private record ContactKey(TenantId tenant, String contactId) {}

    private record RespondentKey(TenantId tenant, String surveyId, String contactId) {}

    private final Map<JobKey, Map<Integer, List<String>>> chunks = new HashMap<>();
    /** Applied parts by first line: their lines. */
    private final Map<JobKey, TreeMap<Integer, List<Integer>>> applied = new HashMap<>();
    private final Map<JobKey, TreeMap<Integer, List<Map<String, Object>>>> rejected = new HashMap<>();
    private final Map<ContactKey, Contact> contacts = new HashMap<>();
    private final Map<RespondentKey, Respondent> respondents = new HashMap<>();
    private final Map<ContactKey, ScoresView> scores = new HashMap<>();
    private final Map<String, RecordedResponse> responses = new HashMap<>();

    /** What the contacts function would have stored. */
    public synchronized void putContact(TenantId t, Contact contact) {
        contacts.put(new ContactKey(t, contact.id()), contact);
    }

    /** The responses imports put, by id. */
    public synchronized Map<String, RecordedResponse> responses() {
        return Map.copyOf(responses);
    }

    @Override
    public synchronized List<Integer> storeLines(TenantId tenant, String jobId, List<String> lines) {
        Map<Integer, List<String>> job = chunks.computeIfAbsent(new JobKey(tenant, jobId), k -> new HashMap<>());
        List<Integer> sizes = new ArrayList<>();
        for (List<String> chunk : ImportLines.chunks(lines, line -> line, 0)) {
            job.put(sizes.size(), List.copyOf(chunk));
            sizes.add(chunk.size());
        }
        return sizes;
    }

    @Override
    public synchronized List<String> chunk(TenantId tenant, String jobId, int index) {
        return chunks.getOrDefault(new JobKey(tenant, jobId), Map.of()).getOrDefault(index, List.of());
    }

    @Override
    public synchronized void dropLines(TenantId tenant, String jobId, int chunks) {
        Map<Integer, List<String>> job = this.chunks.getOrDefault(new JobKey(tenant, jobId), new HashMap<>());
        for (int i = 0; i < chunks; i++) {
            job.remove(i);
        }
    }

    private TreeMap<Integer, List<Integer>> applied(TenantId t, String jobId) {
        return applied.computeIfAbsent(new JobKey(t, jobId), k -> new TreeMap<>());
    }

    private TreeMap<Integer, List<Map<String, Object>>> rejected(TenantId t, String jobId) {
        return rejected.computeIfAbsent(new JobKey(t, jobId), k -> new TreeMap<>());
    }

    @Override
    public synchronized Done done(TenantId tenant, String jobId, int fromLine, int toLineExclusive) {
        Set<Integer> lines = new HashSet<>();
        applied(tenant, jobId).subMap(fromLine, toLineExclusive).values().forEach(lines::addAll);
        return new Done(lines, new HashSet<>(rejected(tenant, jobId).subMap(fromLine, toLineExclusive).keySet()));
    }

    @Override
    public synchronized void reject(TenantId tenant, String jobId, Map<Integer, List<Map<String, Object>>> errors) {
        errors.forEach((line, e) -> rejected(tenant, jobId).put(line, List.copyOf(e)));
    }

    @Override
    public synchronized Set<String> activeContacts(TenantId tenant, Collection<String> contactIds) {
        Set<String> out = new HashSet<>();
        for (String id : contactIds) {
            Contact c = contacts.get(new ContactKey(tenant, id));
            if (c != null && c.status() == Contact.Status.ACTIVE) {
                out.add(id);
            }
        }
        return out;
    }

    @Override
    public synchronized Map<String, Respondent> respondents(TenantId tenant, String surveyId, Collection<String> contactIds) {
        Map<String, Respondent> out = new HashMap<>();
        for (String id : contactIds) {
            Respondent r = respondents.get(new RespondentKey(tenant, surveyId, id));
            if (r != null) {
                out.put(id, r);
            }
        }
        return out;
    }

    @Override
    public synchronized Map<String, ScoresView> latestScores(TenantId tenant, Collection<String> contactIds) {
        Map<String, ScoresView> out = new HashMap<>();
        for (String id : contactIds) {
            ScoresView s = scores.get(new ContactKey(tenant, id));
            if (s != null) {
                out.put(id, s);
            }
        }
        return out;
    }

    @Override
    public synchronized boolean apply(Part part) {
        TenantId t = part.tenant();
        String surveyId = part.survey().id();
        if (applied(t, part.jobId()).containsKey(part.lines().get(0))) {
            return false;
        }
        // every condition first: all or nothing, as the adapter's one transaction
        for (ContactChange c : part.contacts()) {
            String contactId = c.response().contactId();
            Contact contact = contacts.get(new ContactKey(t, contactId));
            Respondent guard = respondents.get(new RespondentKey(t, surveyId, contactId));
            ScoresView s = scores.get(new ContactKey(t, contactId));
            boolean guardAsRead = c.replaced() == null ? guard == null
                    : guard != null && guard.responseId().equals(c.replaced().responseId());
            boolean scoresAsRead = c.scoresView() == null || (s == null ? 0 : s.version()) == c.scoresVersion();
            if (contact == null || contact.status() != Contact.Status.ACTIVE || !guardAsRead || !scoresAsRead) {
                throw new StoreException.Contention();
            }
        }
        applied(t, part.jobId()).put(part.lines().get(0), List.copyOf(part.lines()));
        for (ContactChange c : part.contacts()) {
            RecordedResponse r = c.response();
            respondents.put(new RespondentKey(t, surveyId, r.contactId()), new Respondent(r.contactId(), r.id(), r.submittedAt()));
            if (c.replaced() != null) {
                responses.remove(c.replaced().responseId());
            }
            if (c.scoresView() != null) {
                scores.put(new ContactKey(t, r.contactId()), new ScoresView(c.scoresView(), c.scoresVersion() + 1));
            }
        }
        return true;
    }

    @Override
    public synchronized void putResponses(TenantId tenant, StoredSurvey survey, String jobId, List<RecordedResponse> responses) {
        responses.forEach(r -> this.responses.put(r.id(), r));
    }

    @Override
    public synchronized Tally tally(TenantId tenant, String jobId) {
        long imported = applied(tenant, jobId).values().stream().mapToLong(List::size).sum();
        List<Rejection> out = new ArrayList<>();
        rejected(tenant, jobId).forEach((line, e) -> out.add(new Rejection(line, e)));
        return new Tally(imported, out);
    }
}

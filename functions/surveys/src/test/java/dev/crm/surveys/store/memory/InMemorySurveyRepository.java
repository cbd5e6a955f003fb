package dev.crm.surveys.store.memory;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.segment.ContactFacts;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.TenantId;
import dev.crm.surveys.domain.CounterShards;
import dev.crm.surveys.domain.RecordedResponse;
import dev.crm.surveys.domain.ScoreCounts;
import dev.crm.surveys.domain.StoredSurvey;
import dev.crm.surveys.domain.Survey;
import dev.crm.surveys.domain.SurveyRepository;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link SurveyRepository} in memory, held to the DynamoDB adapter's behaviour by
 * {@code SurveyRepositoryContract}. What the contacts function owns (contacts, segments) is given to it
 * with {@link #putContact} and {@link #putSegment}. Every method is synchronized: one write is atomic,
 * like the adapter's transactions.
 */
public final class InMemorySurveyRepository implements SurveyRepository {
    private record SurveyKey(TenantId tenant, String surveyId) {}

    private record ContactKey(TenantId tenant, String contactId) {}

    private record RespondentKey(TenantId tenant, String surveyId, String contactId) {}

    private record CounterKey(TenantId tenant, String surveyId, int shard, LocalDate day) {}

    private record Counters(long writes, ScoreCounts counts) {}

    private record Scores(Map<String, Object> view, long version) {}

    private final Map<SurveyKey, StoredSurvey> surveys = new HashMap<>();
    private final Map<String, TenantId> lookups = new HashMap<>();
    /** Responses by (tenant, survey) and id; replaced ones are removed, their ids stay taken. */
    private final Map<SurveyKey, Map<String, RecordedResponse>> responses = new HashMap<>();
    private final Map<SurveyKey, Map<String, Instant>> takenIds = new HashMap<>();
    private final Map<RespondentKey, Respondent> respondents = new HashMap<>();
    private final Map<CounterKey, Counters> counters = new HashMap<>();
    private final Map<ContactKey, Scores> scores = new HashMap<>();
    private final Map<ContactKey, Integer> latestNps = new HashMap<>();
    private final Map<ContactKey, List<String>> timelines = new HashMap<>();
    private final Map<ContactKey, Contact> contacts = new HashMap<>();
    private final Map<ContactKey, Object> segments = new HashMap<>();

    // ---- what the contacts function owns ----

    public synchronized void putContact(TenantId tenant, Contact contact) {
        contacts.put(new ContactKey(tenant, contact.id()), contact);
    }

    public synchronized void putSegment(TenantId tenant, String segmentId, Object rule) {
        segments.put(new ContactKey(tenant, segmentId), rule);
    }

    /** The contact's latest NPS as the responses left it on the purchase summary, or null. */
    public synchronized Integer latestNps(TenantId tenant, String contactId) {
        return latestNps.get(new ContactKey(tenant, contactId));
    }

    /** The ids of the responses on the contact's timeline. */
    public synchronized List<String> timeline(TenantId tenant, String contactId) {
        return List.copyOf(timelines.getOrDefault(new ContactKey(tenant, contactId), List.of()));
    }

    // ---- surveys ----

    @Override
    public synchronized void create(StoredSurvey survey) {
        SurveyKey key = new SurveyKey(survey.survey().tenantId(), survey.id());
        if (surveys.containsKey(key) || lookups.containsKey(survey.id())) {
            throw new StoreException.VersionConflict();
        }
        surveys.put(key, survey);
        lookups.put(survey.id(), survey.survey().tenantId());
    }

    @Override
    public synchronized StoredSurvey find(TenantId tenant, String surveyId) {
        return surveys.get(new SurveyKey(tenant, surveyId));
    }

    @Override
    public synchronized void replace(StoredSurvey previous, Survey updated) {
        SurveyKey key = new SurveyKey(previous.survey().tenantId(), previous.id());
        StoredSurvey current = surveys.get(key);
        if (current == null || current.survey().version() != previous.survey().version()) {
            throw new StoreException.VersionConflict();
        }
        surveys.put(key, previous.with(updated));
    }

    /** Newest first: by creation time, then id, both descending (as the adapter's index sorts). */
    private static final Comparator<StoredSurvey> NEWEST_FIRST = Comparator
            .comparing((StoredSurvey s) -> s.survey().createdAt()).thenComparing(StoredSurvey::id).reversed();

    @Override
    public synchronized Slice<StoredSurvey> list(TenantId tenant, int limit, Cursor from) {
        List<StoredSurvey> all = new ArrayList<>();
        surveys.forEach((k, s) -> {
            if (k.tenant().equals(tenant)) {
                all.add(s);
            }
        });
        all.sort(NEWEST_FIRST);
        int start = 0;
        if (from != null) {
            String after = from.value();
            while (start < all.size() && !position(all.get(start)).equals(after)) {
                start++;
            }
            start++;
        }
        List<StoredSurvey> page = all.subList(Math.min(start, all.size()), Math.min(all.size(), start + limit));
        boolean more = start + limit < all.size();
        return new Slice<>(page, more && !page.isEmpty() ? new Cursor(position(page.get(page.size() - 1))) : null);
    }

    private static String position(StoredSurvey s) {
        return s.survey().createdAt() + "/" + s.id();
    }

    @Override
    public synchronized TenantId tenantOf(String surveyId) {
        return lookups.get(surveyId);
    }

    // ---- responses ----

    @Override
    public synchronized Respondent respondent(TenantId tenant, String surveyId, String contactId) {
        return respondents.get(new RespondentKey(tenant, surveyId, contactId));
    }

    @Override
    public synchronized RecordedResponse response(TenantId tenant, String surveyId, String responseId) {
        return responses.getOrDefault(new SurveyKey(tenant, surveyId), Map.of()).get(responseId);
    }

    @Override
    public synchronized RecordedResponse response(TenantId tenant, String surveyId, Respondent respondent) {
        RecordedResponse r = response(tenant, surveyId, respondent.responseId());
        return r != null && r.submittedAt().equals(respondent.submittedAt()) ? r : null;
    }

    @Override
    public synchronized ScoresView latestScores(TenantId tenant, String contactId) {
        Scores s = scores.get(new ContactKey(tenant, contactId));
        return s == null ? new ScoresView(Map.of(), 0) : new ScoresView(s.view(), s.version());
    }

    @Override
    public synchronized Recorded record(NewResponse n) {
        TenantId t = n.tenant();
        StoredSurvey stored = n.survey();
        SurveyKey survey = new SurveyKey(t, stored.id());
        RecordedResponse r = n.response();
        String contactId = r.contactId();
        ContactKey contact = contactId == null ? null : new ContactKey(t, contactId);
        RespondentKey respondentKey = contactId == null ? null : new RespondentKey(t, stored.id(), contactId);
        // the adapter's conditions, in the order it reports them
        if (takenIds.getOrDefault(survey, Map.of()).containsKey(r.id())) {
            return Recorded.ID_TAKEN;
        }
        if (contact != null) {
            Contact c = contacts.get(contact);
            if (c == null || c.status() != Contact.Status.ACTIVE) {
                return Recorded.CONTACT_GONE;
            }
            Respondent current = respondents.get(respondentKey);
            if (n.replaced() == null ? current != null
                    : current == null || !current.responseId().equals(n.replaced().responseId())) {
                return Recorded.RESPONDENT_TAKEN;
            }
            if (n.scoresView() != null) {
                Scores s = scores.get(contact);
                if ((s == null ? 0 : s.version()) != n.scoresVersion()) {
                    throw new StoreException.Contention();
                }
            }
        }
        takenIds.computeIfAbsent(survey, k -> new HashMap<>()).put(r.id(), r.submittedAt());
        responses.computeIfAbsent(survey, k -> new HashMap<>()).put(r.id(), r);
        int shard = CounterShards.shardFor(r.id());
        LocalDate day = r.day(stored.zone());
        RecordedResponse old = n.replacedResponse();
        if (old != null && n.replacedCounts() != null) {
            int oldShard = CounterShards.shardFor(old.id());
            LocalDate oldDay = old.day(stored.zone());
            if (oldShard == shard && oldDay.equals(day)) {
                add(new CounterKey(t, stored.id(), shard, day), n.counts().plus(n.replacedCounts().negate()));
            } else {
                add(new CounterKey(t, stored.id(), shard, day), n.counts());
                add(new CounterKey(t, stored.id(), oldShard, oldDay), n.replacedCounts().negate());
            }
        } else {
            add(new CounterKey(t, stored.id(), shard, day), n.counts());
        }
        if (contact != null) {
            respondents.put(respondentKey, new Respondent(contactId, r.id(), r.submittedAt()));
            List<String> timeline = timelines.computeIfAbsent(contact, k -> new ArrayList<>());
            timeline.add(r.id());
            if (n.replaced() != null) {
                RecordedResponse gone = responses.get(survey).get(n.replaced().responseId());
                if (gone != null && gone.submittedAt().equals(n.replaced().submittedAt())) {
                    responses.get(survey).remove(gone.id());
                }
                if (old != null) {
                    timeline.remove(old.id());
                }
            }
            if (n.scoresView() != null) {
                scores.put(contact, new Scores(new LinkedHashMap<>(n.scoresView()), n.scoresVersion() + 1));
            }
            if (n.latestNps() != null) {
                latestNps.put(contact, n.latestNps());
            }
        }
        return Recorded.CREATED;
    }

    private void add(CounterKey key, ScoreCounts counts) {
        Counters c = counters.get(key);
        counters.put(key, c == null ? new Counters(1, counts) : new Counters(c.writes() + 1, c.counts().plus(counts)));
    }

    @Override
    public synchronized Map<LocalDate, ScoreCounts> dayCounts(TenantId tenant, String surveyId, LocalDate from, LocalDate to) {
        TreeMap<LocalDate, ScoreCounts> days = new TreeMap<>();
        counters.forEach((k, c) -> {
            if (k.tenant().equals(tenant) && k.surveyId().equals(surveyId) && !k.day().isBefore(from) && k.day().isBefore(to)) {
                days.merge(k.day(), c.counts(), ScoreCounts::plus);
            }
        });
        return days;
    }

    @Override
    public synchronized List<RecordedResponse> responses(TenantId tenant, String surveyId, Instant from, Instant to, int max) {
        List<RecordedResponse> out = new ArrayList<>();
        for (RecordedResponse r : responses.getOrDefault(new SurveyKey(tenant, surveyId), Map.of()).values()) {
            if (!r.submittedAt().isBefore(from) && r.submittedAt().isBefore(to)) {
                if (out.size() == max) {
                    throw new TooManyResponses();
                }
                // as the adapter reads them: no free texts, no token nonce
                out.add(new RecordedResponse(r.id(), r.surveyId(), r.submittedAt(), r.contactId(), null, r.counted(), Map.of()));
            }
        }
        return out;
    }

    // ---- contacts and segments ----

    @Override
    public synchronized Contact contact(TenantId tenant, String contactId) {
        Contact c = contacts.get(new ContactKey(tenant, contactId));
        return c == null || c.status() == Contact.Status.ERASING ? null : c;
    }

    @Override
    public synchronized Object segmentRule(TenantId tenant, String segmentId) {
        return segments.get(new ContactKey(tenant, segmentId));
    }

    @Override
    public synchronized Map<String, ContactFacts> facts(TenantId tenant, Collection<String> contactIds, boolean withScores) {
        Map<String, ContactFacts> out = new LinkedHashMap<>();
        for (String id : contactIds) {
            Contact c = contacts.get(new ContactKey(tenant, id));
            if (c == null || c.status() != Contact.Status.ACTIVE) {
                continue;
            }
            Integer nps = null;
            Scores s = withScores ? scores.get(new ContactKey(tenant, id)) : null;
            if (s != null && s.view().get("nps") instanceof Map<?, ?> m && m.get("score") instanceof Number score) {
                nps = score.intValue();
            }
            out.put(id, new ContactFacts(c, null, null, nps));
        }
        return out;
    }

    // ---- recount ----

    @Override
    public synchronized LocalDate nextDay(TenantId tenant, StoredSurvey survey, int shard, LocalDate from) {
        LocalDate next = null;
        for (CounterKey k : counters.keySet()) {
            if (k.tenant().equals(tenant) && k.surveyId().equals(survey.id()) && k.shard() == shard
                    && (from == null || !k.day().isBefore(from)) && (next == null || k.day().isBefore(next))) {
                next = k.day();
            }
        }
        Instant start = from == null ? null : from.atStartOfDay(survey.zone()).toInstant();
        for (RecordedResponse r : responses.getOrDefault(new SurveyKey(tenant, survey.id()), Map.of()).values()) {
            if (CounterShards.shardFor(r.id()) == shard && (start == null || !r.submittedAt().isBefore(start))) {
                LocalDate day = r.day(survey.zone());
                if (next == null || day.isBefore(next)) {
                    next = day;
                }
            }
        }
        return next;
    }

    @Override
    public synchronized CounterSnapshot counters(TenantId tenant, String surveyId, int shard, LocalDate day) {
        Counters c = counters.get(new CounterKey(tenant, surveyId, shard, day));
        return c == null ? new CounterSnapshot(false, 0, ScoreCounts.EMPTY) : new CounterSnapshot(true, c.writes(), c.counts());
    }

    @Override
    public synchronized List<Map<String, Object>> answersOn(TenantId tenant, StoredSurvey survey, int shard, LocalDate day) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RecordedResponse r : responses.getOrDefault(new SurveyKey(tenant, survey.id()), Map.of()).values()) {
            if (CounterShards.shardFor(r.id()) == shard && r.day(survey.zone()).equals(day)) {
                out.add(r.counted());
            }
        }
        return out;
    }

    /** Counters per update, as the adapter chunks a repair. */
    static final int REPAIR_CHUNK = 100;

    @Override
    public synchronized boolean repair(TenantId tenant, String surveyId, int shard, LocalDate day, CounterSnapshot read,
            Map<String, Long> deltas) {
        if (deltas.isEmpty()) {
            return true;
        }
        CounterKey key = new CounterKey(tenant, surveyId, shard, day);
        Counters c = counters.get(key);
        boolean unchanged = read.exists() ? c != null && c.writes() == read.writes() : c == null;
        if (!unchanged) {
            return false;
        }
        long chunks = (deltas.size() + REPAIR_CHUNK - 1) / REPAIR_CHUNK;
        ScoreCounts now = (c == null ? ScoreCounts.EMPTY : c.counts()).plus(ScoreCounts.fromCounters(deltas));
        counters.put(key, new Counters((c == null ? 0 : c.writes()) + chunks, now));
        return true;
    }
}

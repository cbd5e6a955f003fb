package dev.crm.surveys.store.dynamodb;

import dev.crm.shared.contact.ContactDirectory;
import dev.crm.shared.jobs.store.dynamodb.ImportLines;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.BatchReads;
import dev.crm.shared.store.dynamodb.BatchWrites;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import dev.crm.shared.tenant.TenantSecrets;
import dev.crm.surveys.domain.CounterShards;
import dev.crm.surveys.domain.RecordedResponse;
import dev.crm.surveys.domain.ResponseImportRepository;
import dev.crm.surveys.domain.StoredSurvey;
import dev.crm.surveys.domain.SurveyRepository.Respondent;
import dev.crm.surveys.domain.SurveyRepository.ScoresView;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@link ResponseImportRepository} on the single table (docs/data-model.md, "Survey response imports").
 * The responses are the live submissions' items ({@link ResponseItem}, {@link ResponseIdItem},
 * {@link RespondentItem}, the timeline entry, counters and latest scores, written as
 * {@link DynamoDbSurveyRepository} writes them), low-level because counters take {@code ADD}. Response
 * items carry {@link #IMPORT_JOB}, which the event decoder skips.
 */
public final class DynamoDbResponseImportRepository implements ResponseImportRepository {
    /** The mark on an imported response item (the job's id): history, so no event announces it. */
    public static final String IMPORT_JOB = "importJob";

    private final Table table;
    private final ContactDirectory contacts;
    /** The staged lines and rejected lines' items, laid out as every NDJSON import lays them out. */
    private final ImportLines staged;

    /** @param secrets each tenant's secrets (the contact directory keys its email guards with them) */
    public DynamoDbResponseImportRepository(Table table, Function<TenantId, TenantSecrets> secrets, Clock clock) {
        this.table = table;
        this.contacts = new ContactDirectory(table, secrets);
        this.staged = new ImportLines(table, clock, SurveyTableKeys.IMPORT_LINES);
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    @Override
    public List<Integer> storeLines(TenantId t, String jobId, List<String> lines) {
        return staged.store(t, jobId, lines, ImportLines.TEXT);
    }

    @Override
    public List<String> chunk(TenantId t, String jobId, int index) {
        return staged.chunk(t, jobId, index, ImportLines.TEXT);
    }

    @Override
    public void dropLines(TenantId t, String jobId, int chunks) {
        staged.drop(t, jobId, chunks);
    }

    /** Every item of the job's partition with a sort key in [from, to], reading only {@code projection}. */
    private List<Map<String, AttributeValue>> range(TenantId t, String jobId, String from, String to, String projection) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            var q = QueryRequest.builder().tableName(table.name())
                    .keyConditionExpression("PK = :pk AND SK BETWEEN :from AND :to")
                    .expressionAttributeValues(Map.of(":pk", Attr.s(Keys.job(t, jobId)), ":from", Attr.s(from), ":to", Attr.s(to)))
                    .projectionExpression(projection).expressionAttributeNames(Map.of("#e", "errors", "#r", "rows"))
                    .consistentRead(true);
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse r = table.client().query(q.build());
            out.addAll(r.items());
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    private static List<Integer> rows(Map<String, AttributeValue> item) {
        List<Integer> out = new ArrayList<>();
        AttributeValue rows = item.get("rows");
        if (rows != null && rows.hasL()) {
            rows.l().forEach(n -> out.add(Integer.parseInt(n.n())));
        }
        return out;
    }

    @Override
    public Done done(TenantId t, String jobId, int fromLine, int toLineExclusive) {
        Set<Integer> applied = new HashSet<>();
        for (var item : range(t, jobId, SurveyTableKeys.importApplied(fromLine),
                SurveyTableKeys.importApplied(toLineExclusive - 1), "SK, #r, #e")) {
            applied.addAll(rows(item));
        }
        Set<Integer> rejected = new HashSet<>();
        for (var item : range(t, jobId, staged.lineKey(fromLine), staged.lineKey(toLineExclusive - 1), "SK, #r, #e")) {
            rejected.add(staged.lineOf(Attr.str(item, Table.SK)));
        }
        return new Done(applied, rejected);
    }

    @Override
    public void reject(TenantId t, String jobId, Map<Integer, List<Map<String, Object>>> errors) {
        List<WriteRequest> writes = new ArrayList<>();
        errors.forEach((line, e) -> {
            Map<String, AttributeValue> item = staged.lineItem(t, jobId, line);
            item.put(ImportLines.ERRORS, Attr.s(Json.write(e)));
            writes.add(put(item));
        });
        BatchWrites.write(table, writes);
    }

    @Override
    public Set<String> activeContacts(TenantId t, Collection<String> contactIds) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String id : new HashSet<>(contactIds)) {
            keys.add(Table.key(Keys.contact(t, id), Keys.CONTACT_PROFILE));
        }
        Set<String> active = new HashSet<>();
        for (var item : BatchReads.items(table, keys, b -> b.consistentRead(true)
                .projectionExpression("PK, #st, contactId").expressionAttributeNames(Map.of("#st", "status")))) {
            if ("active".equals(Attr.str(item, "status"))) {
                active.add(Attr.str(item, "contactId"));
            }
        }
        return active;
    }

    @Override
    public Map<String, Respondent> respondents(TenantId t, String surveyId, Collection<String> contactIds) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String id : new HashSet<>(contactIds)) {
            keys.add(Table.key(Keys.contact(t, id), SurveyTableKeys.respondent(surveyId)));
        }
        Map<String, Respondent> out = new HashMap<>();
        for (var item : BatchReads.items(table, keys, b -> b.consistentRead(true))) {
            Respondent r = RespondentItem.SCHEMA.mapToItem(item).toRespondent();
            out.put(r.contactId(), r);
        }
        return out;
    }

    @Override
    public Map<String, ScoresView> latestScores(TenantId t, Collection<String> contactIds) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        Map<String, String> ids = new HashMap<>();
        for (String id : new HashSet<>(contactIds)) {
            ids.put(Keys.contact(t, id), id);
            keys.add(Table.key(Keys.contact(t, id), Keys.SURVEY_SCORES));
        }
        Map<String, ScoresView> out = new HashMap<>();
        for (var item : BatchReads.items(table, keys, b -> b.consistentRead(true))) {
            out.put(ids.get(Attr.str(item, Table.PK)), new ScoresView(Attr.map(item, "view"), Attr.num(item, "version", 0)));
        }
        return out;
    }

    @Override
    public boolean apply(Part part) {
        TenantId t = part.tenant();
        String surveyId = part.survey().id();
        List<TransactWriteItem> tx = new ArrayList<>();
        Map<String, AttributeValue> marker = new HashMap<>(Table.key(Keys.job(t, part.jobId()),
                SurveyTableKeys.importApplied(part.lines().get(0))));
        marker.put(Table.ENTITY, Attr.s("SURVEY_IMPORT_APPLIED"));
        marker.put("tenantId", Attr.s(t.value()));
        marker.put("rows", Attr.of(List.copyOf(part.lines())));
        marker.put(Table.TTL, staged.expiry());
        tx.add(table.putIfAbsent(marker));
        for (var e : part.counters().entrySet()) {
            tx.add(DynamoDbSurveyRepository.counterUpdate(table, t, surveyId, e.getKey().shard(), e.getKey().day(), e.getValue()));
        }
        for (ContactChange c : part.contacts()) {
            RecordedResponse r = c.response();
            String contactPk = Keys.contact(t, r.contactId());
            String pk = SurveyTableKeys.responses(t, surveyId, CounterShards.shardFor(r.id()));
            String sk = SurveyTableKeys.response(r.submittedAt(), r.id());
            tx.add(contacts.requireActive(t, r.contactId()));
            tx.add(respondentGuard(t, surveyId, r, pk, sk, c.replaced()));
            if (c.replaced() != null) {
                Respondent old = c.replaced();
                tx.add(delete(SurveyTableKeys.responses(t, surveyId, CounterShards.shardFor(old.responseId())),
                        SurveyTableKeys.response(old.submittedAt(), old.responseId())));
                tx.add(delete(contactPk, Keys.timeline(old.submittedAt(), DynamoDbSurveyRepository.RESPONSE_KIND, old.responseId())));
            }
            if (c.scoresView() != null) {
                tx.add(DynamoDbSurveyRepository.scoresUpdate(table, t, r.contactId(), c.scoresView(), c.scoresVersion()));
            }
            if (c.latestNps() != null) {
                // SET only: the purchase summary's other attributes belong to the contacts function
                tx.add(TransactWriteItem.builder().update(Update.builder().tableName(table.name())
                        .key(Table.key(contactPk, Keys.PURCHASE_SUMMARY))
                        .updateExpression("SET latestNps = :nps")
                        .expressionAttributeValues(Map.of(":nps", Attr.n(c.latestNps())))
                        .build()).build());
            }
        }
        try {
            table.transact(tx);
            return true;
        } catch (Table.TransactionFailure f) {
            if (f.conditionFailed(0)) {
                return false; // applied by an earlier run of this step
            }
            if (f.anyConditionFailed() || f.isConflict()) {
                throw new StoreException.Contention(); // a contact, its guard or its scores changed since read
            }
            throw f.storeOutcome();
        }
    }

    private TransactWriteItem respondentGuard(TenantId t, String surveyId, RecordedResponse r, String pk, String sk,
            Respondent replaced) {
        var p = Put.builder().tableName(table.name())
                .item(RespondentItem.SCHEMA.itemToMap(RespondentItem.of(t, surveyId, r, pk, sk), true));
        if (replaced == null) {
            p.conditionExpression("attribute_not_exists(PK)");
        } else {
            p.conditionExpression("responseId = :old").expressionAttributeValues(Map.of(":old", Attr.s(replaced.responseId())));
        }
        return TransactWriteItem.builder().put(p.build()).build();
    }

    private TransactWriteItem delete(String pk, String sk) {
        return TransactWriteItem.builder().delete(Delete.builder().tableName(table.name()).key(Table.key(pk, sk)).build()).build();
    }

    @Override
    public void putResponses(TenantId t, StoredSurvey survey, String jobId, List<RecordedResponse> responses) {
        List<WriteRequest> writes = new ArrayList<>();
        for (RecordedResponse r : responses) {
            int shard = CounterShards.shardFor(r.id());
            String pk = SurveyTableKeys.responses(t, survey.id(), shard);
            String sk = SurveyTableKeys.response(r.submittedAt(), r.id());
            LocalDate day = r.day(survey.zone());
            Map<String, AttributeValue> item = new HashMap<>(
                    ResponseItem.SCHEMA.itemToMap(ResponseItem.of(t, r, pk, sk, day, shard), true));
            item.put(IMPORT_JOB, Attr.s(jobId));
            writes.add(put(item));
            writes.add(put(ResponseIdItem.SCHEMA.itemToMap(ResponseIdItem.of(t, pk, r.id(), sk), true)));
            if (r.contactId() != null) {
                writes.add(put(DynamoDbSurveyRepository.timelineEntry(t, r, r.toJson(survey.survey()), pk, sk)));
            }
        }
        BatchWrites.write(table, writes);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Tally tally(TenantId t, String jobId) {
        long imported = 0;
        for (var item : range(t, jobId, SurveyTableKeys.importApplied(0), SurveyTableKeys.importApplied(999_999), "SK, #r, #e")) {
            imported += rows(item).size();
        }
        List<Rejection> rejected = new ArrayList<>();
        for (var item : range(t, jobId, staged.lineKey(0), staged.lineKey(999_999), "SK, #r, #e")) {
            rejected.add(new Rejection(staged.lineOf(Attr.str(item, Table.SK)),
                    (List<Map<String, Object>>) Json.parse(Attr.str(item, "errors"))));
        }
        return new Tally(imported, rejected);
    }
}

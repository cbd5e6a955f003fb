package dev.crm.contacts.entrypoints;

import dev.crm.shared.jobs.NewJob;
import dev.crm.shared.jobs.JobRef;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.contacts.domain.ContactFields;
import dev.crm.contacts.domain.ContactErasure;
import dev.crm.contacts.domain.ContactImport;
import dev.crm.contacts.domain.ContactService;
import dev.crm.contacts.domain.ImportFile;
import dev.crm.contacts.store.ContactJobRepository;
import dev.crm.contacts.store.dynamodb.DynamoDbContactJobRepository;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRepository;
import dev.crm.shared.contact.EmailAddress;
import dev.crm.contacts.domain.Interaction;
import dev.crm.shared.contact.LifecycleStage;
import dev.crm.contacts.domain.Segment;
import dev.crm.contacts.store.ContactRepository;
import dev.crm.contacts.store.dynamodb.DynamoDbContactRepository;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.Page;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.http.Route;
import dev.crm.shared.http.RoutedHandler;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Times;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** API entry point of the contacts function: parse, call {@link ContactService}, map the result. */
public final class ContactsHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, RoutedHandler {
    static final Set<String> LIST_PARAMETERS = Set.of("limit", "cursor", "email", "externalId", "tag", "lifecycleStage",
            "segment", "updatedSince");
    /** A segment list examines at most this many contacts per request, then hands out a cursor. */
    static final int SEGMENT_SCAN_BUDGET = 1000;
    static final int RECENT_INTERACTIONS = 10;

    private final ContactService service;
    private final ContactJobRepository jobStore;
    private final ContactImport imports;
    private final JobRepository jobs;
    private final TenantCache tenants;
    private final IdempotentRequests idempotency;
    private final Clock clock;
    private final ApiRouter router;

    public ContactsHandler() {
        this(Infrastructure.lambda());
        router().primeOnCheckpoint();
    }

    public ContactsHandler(Infrastructure infra) {
        this.service = new ContactService(new DynamoDbContactRepository(infra.table()), infra.clock());
        this.jobStore = new DynamoDbContactJobRepository(infra.table(), infra.clock());
        this.imports = new ContactImport(service.repository(), jobStore, null, infra.clock());
        this.jobs = infra.jobs();
        this.tenants = new TenantCache(infra.tenants(), infra.clock());
        this.idempotency = infra.idempotency();
        this.clock = infra.clock();
        this.router = new ApiRouter(infra.settings().list("ALLOWED_DASHBOARD_ORIGINS"))
                .json("POST", "/v1/contacts", Scope.WRITE, this::create)
                .bare("GET", "/v1/contacts", Scope.READ, this::list)
                .bare("GET", "/v1/contacts/{id}", Scope.READ, this::get)
                .add(new Route("PATCH", "/v1/contacts/{id}", Scope.WRITE,
                        Set.of("application/merge-patch+json", "application/json"), Route.DEFAULT_MAX_BODY, this::patch))
                .json("POST", "/v1/contacts/{id}/interactions", Scope.WRITE, this::recordInteraction)
                .bare("GET", "/v1/contacts/{id}/timeline", Scope.READ, this::timeline)
                .bare("GET", "/v1/contacts/{id}/export", Scope.READ, this::export)
                .bare("DELETE", "/v1/contacts/{id}", Scope.WRITE, this::erase)
                .bare("GET", "/v1/contacts/erasures/{id}", Scope.READ, r -> job(r, "era_", ContactErasure.ERASURE))
                .bare("POST", "/v1/contacts/{id}/anonymize", Scope.WRITE, this::anonymize)
                .bare("GET", "/v1/contacts/anonymizations/{id}", Scope.READ, r -> job(r, "ano_", ContactErasure.ANONYMIZATION))
                .add(new Route("POST", "/v1/contacts/imports", Scope.WRITE, Set.of("text/csv", "application/x-ndjson"),
                        ImportFile.MAX_BYTES, this::startImport))
                .bare("GET", "/v1/contacts/imports/{id}", Scope.READ, this::importJob)
                .json("POST", "/v1/segments", Scope.WRITE, this::createSegment)
                .bare("GET", "/v1/segments", Scope.READ, this::listSegments)
                .bare("GET", "/v1/segments/{id}", Scope.READ, this::getSegment)
                .bare("DELETE", "/v1/segments/{id}", Scope.WRITE, this::deleteSegment)
                .bare("GET", "/v1/segments/{id}/contacts", Scope.READ, this::segmentContacts);
    }

    @Override
    public ApiRouter router() {
        return router;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return router.handle(event);
    }

    /** Ids we issued have one shape; anything else cannot exist, so it is simply not found. */
    static String contactId(ApiRequest request) {
        return request.idParameter("id", Contact.ID_PREFIX, "the contact");
    }

    private Contact existing(ApiRequest request) {
        Contact c = service.get(request.tenant(), contactId(request));
        if (c == null) {
            throw ApiProblem.notFound("the contact");
        }
        return c;
    }

    // ---- contacts ----

    private ApiResponse create(ApiRequest request) {
        JsonObject body = request.jsonObject();
        ContactData data = ContactFields.create(body);
        ApiProblem.throwIfAny(body.violations());
        TenantId tenant = request.tenant();
        return idempotency.execute(request, () -> {
            try {
                Contact c = service.create(tenant, data);
                return ApiResponse.created("/v1/contacts/" + c.id(), c.toJson()).etag(c.version());
            } catch (StoreException.UniqueViolation e) {
                throw duplicate(e);
            }
        });
    }

    static ApiProblem duplicate(StoreException.UniqueViolation e) {
        ApiProblem p = ApiProblem.of(ProblemType.DUPLICATE, "a contact with this " + e.field() + " already exists"
                + (e.existingId() == null ? "" : ": " + e.existingId()))
                .with("errors", List.of(Map.of("pointer", "/" + e.field(), "detail", "already used by another contact")));
        if (e.existingId() != null) {
            p.with("existingId", e.existingId());
        }
        return p;
    }

    private ApiResponse get(ApiRequest request) {
        String view = request.query("view");
        if (view != null && !view.equals("360")) {
            throw ApiProblem.parameter("view", "must be 360 (or absent)");
        }
        if (view == null) {
            Contact c = existing(request);
            return ApiResponse.ok(c.toJson()).etag(c.version());
        }
        ContactRepository.View360 v = service.repository().view360(request.tenant(), contactId(request), RECENT_INTERACTIONS,
                request.callerTenant(tenants).settings().defaultCurrency());
        if (v == null || v.contact().status() == Contact.Status.ERASING) {
            throw ApiProblem.notFound("the contact");
        }
        Map<String, Object> out = v.contact().toJson();
        out.put("preferences", v.preferences() != null ? v.preferences() : emptyPreferences());
        out.put("latestSurveyScores", v.surveyScores() == null ? Map.of() : v.surveyScores());
        out.put("churnScore", v.churnScore());
        Map<String, Object> purchases = v.purchases() == null
                ? dev.crm.shared.contact.PurchaseSummary.empty(request.callerTenant(tenants).settings().defaultCurrency()).toJson()
                : v.purchases().toJson();
        purchases.put("complaints", v.complaints());
        out.put("purchaseSummary", purchases);
        out.put("recentInteractions", v.recentInteractions());
        return ApiResponse.ok(out).etag(v.contact().version());
    }

    /** A contact whose preferences were never written has the empty state, version 0 (conventions). */
    static Map<String, Object> emptyPreferences() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channels", Map.of());
        m.put("frequencyCaps", Map.of());
        m.put("quietHours", null);
        m.put("pausedUntil", null);
        m.put("version", 0);
        return m;
    }

    private ApiResponse patch(ApiRequest request) {
        long expected = request.requireIfMatch();
        JsonObject patch = request.jsonObject();
        Contact current = existing(request);
        if (current.version() != expected) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the contact has changed (version "
                    + current.version() + "); read it again");
        }
        ContactData merged = ContactFields.merge(current, patch);
        ApiProblem.throwIfAny(patch.violations());
        try {
            Contact updated = service.update(request.tenant(), current, merged);
            return ApiResponse.ok(updated.toJson()).etag(updated.version());
        } catch (StoreException.VersionConflict e) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the contact has changed; read it again");
        } catch (StoreException.UniqueViolation e) {
            throw duplicate(e);
        }
    }

    private ApiResponse list(ApiRequest request) {
        Violations v = new Violations();
        for (String p : request.queryParameters().keySet()) {
            if (!LIST_PARAMETERS.contains(p)) {
                v.parameter(p, "unknown parameter");
            }
        }
        int limit = Page.limit(request);
        String email = request.query("email");
        if (email != null && !EmailAddress.isValid(email)) {
            v.parameter("email", "must be an email address");
        }
        String externalId = request.query("externalId");
        String tag = request.query("tag");
        if (tag != null && (tag.isEmpty() || tag.length() > 64)) {
            v.parameter("tag", "must be 1 to 64 characters");
        }
        String stageRaw = request.query("lifecycleStage");
        LifecycleStage stage = stageRaw == null ? null : JsonObject.enumValue(LifecycleStage.class, stageRaw);
        if (stageRaw != null && stage == null) {
            v.parameter("lifecycleStage", "must be one of " + JsonObject.wireNames(LifecycleStage.class));
        }
        String sinceRaw = request.query("updatedSince");
        Instant since = sinceRaw == null ? null : Times.parse(sinceRaw);
        if (sinceRaw != null && since == null) {
            v.parameter("updatedSince", "must be an RFC 3339 timestamp");
        }
        String segmentId = request.query("segment");
        if (segmentId != null && !Ids.isValid(Segment.ID_PREFIX, segmentId)) {
            v.parameter("segment", "not a segment id");
        }
        ApiProblem.throwIfAny(v);
        TenantId t = request.tenant();

        if (email != null || externalId != null) {
            String byEmail = email == null ? null : service.repository().findIdByEmail(t, email);
            String byExt = externalId == null ? null : service.repository().findIdByExternalId(t, externalId);
            String id = email != null ? byEmail : byExt;
            List<Object> items = new ArrayList<>();
            Contact c = id == null || (email != null && externalId != null && !id.equals(byExt)) ? null : service.get(t, id);
            if (c != null && (stage == null || stage == c.data().lifecycleStage())
                    && (tag == null || c.data().tags().contains(tag))
                    && (since == null || !c.updatedAt().isBefore(since))) {
                items.add(c.toJson());
            }
            return ApiResponse.ok(Page.body(items, null));
        }
        Tenant tenant = request.callerTenant(tenants);
        Map<String, String> canonical = new TreeMap<>(request.queryParameters());
        canonical.remove("cursor");
        canonical.remove("limit");
        String query = "contacts?" + canonical;
        Map<String, Object> from = Page.decodePlain(request, t, tenant.secrets(), query, clock.instant());
        ContactRepository.Slice<Contact> slice;
        if (segmentId != null) {
            Segment s = service.repository().findSegment(t, segmentId);
            if (s == null) {
                throw ApiProblem.parameter("segment", "no such segment");
            }
            slice = service.members(t, s, limit, from, SEGMENT_SCAN_BUDGET);
            slice = filterInMemory(slice, stage, tag, since);
        } else {
            slice = service.repository().list(t, new ContactRepository.ListQuery(stage, tag, since), limit, from);
        }
        List<Object> items = new ArrayList<>();
        for (Contact c : slice.items()) {
            items.add(c.toJson());
        }
        return ApiResponse.ok(Page.body(items, Page.encodePlain(t, tenant.secrets(), query, slice.next(), clock.instant())));
    }

    private static ContactRepository.Slice<Contact> filterInMemory(ContactRepository.Slice<Contact> s, LifecycleStage stage,
            String tag, Instant since) {
        List<Contact> kept = s.items().stream()
                .filter(c -> stage == null || stage == c.data().lifecycleStage())
                .filter(c -> tag == null || c.data().tags().contains(tag))
                .filter(c -> since == null || !c.updatedAt().isBefore(since))
                .toList();
        return new ContactRepository.Slice<>(kept, s.next());
    }

    // ---- touch points ----

    private ApiResponse recordInteraction(ApiRequest request) {
        String id = contactId(request);
        Tenant tenant = request.callerTenant(tenants);
        JsonObject body = request.jsonObject();
        Interaction i = Interaction.read(body, clock.instant(), tenant.settings().defaultCurrency());
        ApiProblem.throwIfAny(body.violations());
        TenantId t = request.tenant();
        return idempotency.execute(request, () -> {
            ContactService.RecordResult r = service.record(t, id, i, tenant.settings().zone(), tenant.settings().defaultCurrency());
            switch (r.outcome()) {
                case CREATED:
                    return ApiResponse.created("/v1/contacts/" + id + "/timeline", r.interaction());
                case REPLAYED:
                    return ApiResponse.ok(r.interaction()).header("Idempotent-Replayed", "true");
                case ID_CONFLICT:
                    throw ApiProblem.of(ProblemType.CONFLICT, "interaction id '" + i.id() + "' is already used for another touch point")
                            .with("errors", List.of(Map.of("pointer", "/id", "detail", "already used with different content")));
                default:
                    throw ApiProblem.notFound("the contact");
            }
        });
    }

    private ApiResponse timeline(ApiRequest request) {
        Contact c = existing(request);
        int limit = Page.limit(request);
        Tenant tenant = request.callerTenant(tenants);
        String query = "timeline:" + c.id();
        Map<String, Object> from = Page.decodePlain(request, request.tenant(), tenant.secrets(), query, clock.instant());
        var slice = service.repository().timeline(request.tenant(), c.id(), limit, from);
        return ApiResponse.ok(Page.body(slice.items(),
                Page.encodePlain(request.tenant(), tenant.secrets(), query, slice.next(), clock.instant())));
    }

    // ---- privacy: export, erasure, anonymisation ----

    /** Everything held about the contact, as one document (GDPR Art. 15 and 20). */
    private ApiResponse export(ApiRequest request) {
        Contact c = existing(request);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("exportedAt", clock.instant());
        doc.put("contact", c.toJson());
        Map<String, Object> state = new LinkedHashMap<>();
        List<Object> timeline = new ArrayList<>();
        List<Object> ledger = new ArrayList<>();
        List<Object> sends = new ArrayList<>();
        Map<String, Object> from = null;
        int items = 0;
        do {
            var page = jobStore.items(request.tenant(), c.id(), null, from, 500);
            for (Map<String, Object> item : page.items()) {
                items++;
                String sk = (String) item.get("SK");
                if (sk.startsWith(Keys.TIMELINE_PREFIX)) {
                    timeline.add(timelineEntry(item));
                } else if (sk.startsWith(Keys.LEDGER_PREFIX)) {
                    ledger.add(withoutKeys(item));
                } else if (sk.startsWith("S#")) {
                    sends.add(withoutKeys(item));
                } else if (sk.equals(Keys.PURCHASE_SUMMARY)) {
                    state.put("purchaseSummary", withoutKeys(item));
                } else if (sk.startsWith(Keys.STATE_PREFIX) && !sk.equals(Keys.CONTACT_PROFILE)) {
                    state.put(sk.substring(2).toLowerCase(java.util.Locale.ROOT), item.getOrDefault("view", withoutKeys(item)));
                }
            }
            from = page.next();
            if (items > EXPORT_MAX_ITEMS) {
                throw ApiProblem.of(ProblemType.PAYLOAD_TOO_LARGE, "the contact holds more than " + EXPORT_MAX_ITEMS
                        + " items; ask the operator for an offline export");
            }
        } while (from != null);
        java.util.Collections.reverse(timeline);
        doc.put("state", state);
        doc.put("timeline", timeline);
        doc.put("consentLedger", ledger);
        doc.put("sends", sends);
        return ApiResponse.ok(doc).header("Content-Disposition", "attachment; filename=\"contact-" + c.id() + ".json\"");
    }

    static final int EXPORT_MAX_ITEMS = 20_000;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> timelineEntry(Map<String, Object> item) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", item.get("kind"));
        m.put("id", item.get("entryId"));
        m.put("occurredAt", item.get("occurredAt"));
        if (item.get("data") instanceof Map<?, ?> data) {
            m.putAll((Map<String, Object>) data);
        }
        return m;
    }

    private static Map<String, Object> withoutKeys(Map<String, Object> item) {
        Map<String, Object> m = new LinkedHashMap<>(item);
        for (String k : List.of("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK", "tenantId", "entity", "expiresAt")) {
            m.remove(k);
        }
        return m;
    }

    private ApiResponse erase(ApiRequest request) {
        String id = contactId(request);
        TenantId t = request.tenant();
        String jobId = Ids.random("era_", 20);
        var job = NewJob.forTenant(JobRef.of(t, jobId), ContactErasure.ERASURE, Map.of("contactId", id), 0);
        if (!jobStore.beginErasure(t, id, job)) {
            throw ApiProblem.notFound("the contact");
        }
        return ApiResponse.accepted("/v1/contacts/erasures/" + jobId, jobs.find(JobRef.of(t, jobId)).toJson());
    }

    private ApiResponse anonymize(ApiRequest request) {
        Contact c = existing(request);
        TenantId t = request.tenant();
        return idempotency.execute(request, () -> {
            String jobId = Ids.random("ano_", 20);
            Job job = jobs.create(NewJob.forTenant(JobRef.of(t, jobId), ContactErasure.ANONYMIZATION, Map.of("contactId", c.id()), 0));
            return ApiResponse.accepted("/v1/contacts/anonymizations/" + jobId, job.toJson());
        });
    }

    /** A job of this tenant and kind; anything else reads as absent. */
    private ApiResponse job(ApiRequest request, String prefix, String kind) {
        Job job = tenantJob(request, prefix, kind);
        return ApiResponse.ok(job.toJson());
    }

    private Job tenantJob(ApiRequest request, String prefix, String kind) {
        String id = request.idParameter("id", prefix, "the job");
        Job job = jobs.find(JobRef.of(request.tenant(), id));
        if (job == null || !kind.equals(job.kind())) {
            throw ApiProblem.notFound("the job");
        }
        return job;
    }

    // ---- imports ----

    private ApiResponse startImport(ApiRequest request) {
        String body = request.body();
        if (body == null || body.isBlank()) {
            throw ApiProblem.validation("", "the body is empty: send CSV (with a header row) or NDJSON");
        }
        boolean csv = "text/csv".equals(request.mediaType());
        List<String> rows;
        try {
            rows = csv ? ImportFile.csvRows(body) : ImportFile.ndjsonRows(body);
        } catch (ImportFile.Unreadable e) {
            throw ApiProblem.validation("", e.getMessage());
        }
        TenantId t = request.tenant();
        return idempotency.execute(request, () -> {
            String jobId = Ids.random("imp_", 20);
            Map<String, Object> input = imports.stage(t, jobId, rows, csv);
            Job job = jobs.create(NewJob.forTenant(JobRef.of(t, jobId), ContactImport.KIND, input, rows.size()));
            return ApiResponse.accepted("/v1/contacts/imports/" + jobId, job.toJson());
        });
    }

    private ApiResponse importJob(ApiRequest request) {
        Job job = tenantJob(request, "imp_", ContactImport.KIND);
        Map<String, Object> out = job.toJson();
        if (job.status() == Job.Status.SUCCEEDED) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("created", job.result().get("created"));
            result.put("updated", job.result().get("updated"));
            List<Object> rejected = new ArrayList<>();
            for (var r : jobStore.rejections(request.tenant(), job.id())) {
                rejected.add(Map.of("row", r.row(), "errors", r.errors()));
            }
            rejected.sort(java.util.Comparator.comparingInt(o -> ((Number) ((Map<?, ?>) o).get("row")).intValue()));
            result.put("rejected", rejected);
            out.put("result", result);
        }
        return ApiResponse.ok(out);
    }

    // ---- segments ----

    private static String segmentId(ApiRequest request) {
        return request.idParameter("id", Segment.ID_PREFIX, "the segment");
    }

    private Segment existingSegment(ApiRequest request) {
        Segment s = service.repository().findSegment(request.tenant(), segmentId(request));
        if (s == null) {
            throw ApiProblem.notFound("the segment");
        }
        return s;
    }

    private ApiResponse createSegment(ApiRequest request) {
        JsonObject body = request.jsonObject();
        Segment.Draft draft = Segment.read(body);
        ApiProblem.throwIfAny(body.violations());
        TenantId t = request.tenant();
        return idempotency.execute(request, () -> {
            try {
                Segment s = service.createSegment(t, draft);
                return ApiResponse.created("/v1/segments/" + s.id(), s.toJson());
            } catch (StoreException.LimitReached e) {
                throw ApiProblem.of(ProblemType.CONFLICT, "a tenant may have at most " + Segment.MAX_PER_TENANT + " segments");
            }
        });
    }

    private ApiResponse listSegments(ApiRequest request) {
        Page.limit(request);
        List<Object> items = new ArrayList<>();
        for (Segment s : service.repository().segments(request.tenant())) {
            items.add(s.toJson());
        }
        // At most 100 segments per tenant: one page holds them all.
        return ApiResponse.ok(Page.body(items, null));
    }

    private ApiResponse getSegment(ApiRequest request) {
        return ApiResponse.ok(existingSegment(request).toJson());
    }

    private ApiResponse deleteSegment(ApiRequest request) {
        if (!service.repository().deleteSegment(request.tenant(), segmentId(request))) {
            throw ApiProblem.notFound("the segment");
        }
        return ApiResponse.noContent();
    }

    private ApiResponse segmentContacts(ApiRequest request) {
        Segment s = existingSegment(request);
        int limit = Page.limit(request);
        Tenant tenant = request.callerTenant(tenants);
        String query = "segment:" + s.id();
        Map<String, Object> from = Page.decodePlain(request, request.tenant(), tenant.secrets(), query, clock.instant());
        var slice = service.members(request.tenant(), s, limit, from, SEGMENT_SCAN_BUDGET);
        List<Object> items = new ArrayList<>();
        for (Contact c : slice.items()) {
            items.add(c.toJson());
        }
        return ApiResponse.ok(Page.body(items, Page.encodePlain(request.tenant(), tenant.secrets(), query, slice.next(),
                clock.instant())));
    }
}

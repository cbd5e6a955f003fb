package dev.crm.contacts.entrypoints;

import dev.crm.contacts.domain.ContactImport;
import dev.crm.contacts.domain.ImportFile;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.Route;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Bulk imports: a CSV or NDJSON file becomes an import job; its result lists the rejected rows. */
final class ImportRoutes {
    private final ContactImport imports;
    private final IdempotentRequests idempotency;

    ImportRoutes(ContactImport imports, IdempotentRequests idempotency) {
        this.imports = imports;
        this.idempotency = idempotency;
    }

    void addTo(ApiRouter router) {
        router.add(new Route("POST", "/v1/contacts/imports", Scope.WRITE, Set.of("text/csv", "application/x-ndjson"),
                        ImportFile.MAX_BYTES, this::startImport))
                .bare("GET", "/v1/contacts/imports/{id}", Scope.READ, this::importJob);
    }

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
        return idempotency.execute(request, attempt -> {
            // A re-run after a lost completion derives the same id and answers with the import it started.
            Job job = imports.start(t, rows, csv, attempt.newId(ContactImport.ID_PREFIX));
            return ApiResponse.accepted("/v1/contacts/imports/" + job.id(), job.toJson());
        });
    }

    private ApiResponse importJob(ApiRequest request) {
        String id = request.idParameter("id", ContactImport.ID_PREFIX, "the job");
        Map<String, Object> job = imports.result(request.tenant(), id);
        if (job == null) {
            throw ApiProblem.notFound("the job");
        }
        return ApiResponse.ok(job);
    }
}

package dev.crm.cases.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.cases.config.CasesComponents;
import dev.crm.cases.domain.ComplaintCases;
import dev.crm.cases.domain.RequestedCases;
import dev.crm.shared.config.Infrastructure;

/**
 * Opens a case for each complaint touch point the table stream delivers, when the tenant's
 * {@code complaintsOpenCases} is on, and for each journey case request (a stored
 * {@code journey.case_requested} event) (template.yaml, ComplaintCaseOpenerFunction: one stream source
 * each). A failure fails the batch, which the stream retries: the case's id derives from the touch
 * point or the request, so a retried record opens nothing twice.
 */
public final class ComplaintCaseOpener implements RequestHandler<DynamodbEvent, Void> {
    private final CasesComponents components;
    private final ComplaintCases complaints;
    private final RequestedCases requested;

    public ComplaintCaseOpener() {
        this(Infrastructure.lambda());
    }

    public ComplaintCaseOpener(Infrastructure infra) {
        this.components = new CasesComponents(infra);
        this.complaints = components.complaintCases();
        this.requested = components.requestedCases();
    }

    @Override
    public Void handleRequest(DynamodbEvent event, Context context) {
        for (ComplaintCases.Complaint c : components.complaints(event)) {
            complaints.open(c);
        }
        for (RequestedCases.Request r : components.caseRequests(event)) {
            requested.open(r);
        }
        return null;
    }
}

package dev.crm.cases.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.crm.cases.config.CasesComponents;
import dev.crm.cases.stream.OpenerBatch;
import dev.crm.shared.config.Infrastructure;

/**
 * Opens a case for each complaint touch point the table stream delivers, when the tenant's
 * {@code complaintsOpenCases} is on, and for each journey case request (a stored
 * {@code journey.case_requested} event) (template.yaml, ComplaintCaseOpenerFunction: one filter
 * pattern each). A failed record is reported by its sequence number ({@link OpenerBatch}), so the
 * stream retries from it: the case's id derives from the touch point or the request, so a retried
 * record opens nothing twice.
 */
public final class ComplaintCaseOpener implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private final OpenerBatch batch;

    public ComplaintCaseOpener() {
        this(Infrastructure.lambda());
    }

    public ComplaintCaseOpener(Infrastructure infra) {
        this.batch = new CasesComponents(infra).openerBatch();
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return batch.handle(event);
    }
}

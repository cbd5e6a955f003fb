package dev.crm.shared.jobs;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.crm.shared.jobs.store.dynamodb.DynamoDbJobRepository;
import dev.crm.shared.tenant.Ids;
import java.util.ArrayList;
import java.util.List;

/** Reads the job keys out of the table-stream events that start job workers. */
public final class JobStreamEvents {
    private JobStreamEvents() {}

    /** The jobs whose items the records carry, each once, in order. */
    public static List<JobRef> jobs(DynamodbEvent event) {
        List<JobRef> out = new ArrayList<>();
        if (event == null || event.getRecords() == null) {
            return out;
        }
        for (var record : event.getRecords()) {
            if (record.getDynamodb() == null || record.getDynamodb().getKeys() == null) {
                continue;
            }
            var pk = record.getDynamodb().getKeys().get("PK");
            JobRef ref = pk == null ? null : DynamoDbJobRepository.ref(pk.getS());
            if (ref != null && !out.contains(ref)) {
                out.add(ref);
            }
        }
        return out;
    }

    /** A lease owner unique to this invocation. */
    public static String owner(Context context) {
        String id = context == null ? null : context.getAwsRequestId();
        return (id == null ? "local" : id) + ":" + Ids.random("", 8);
    }
}

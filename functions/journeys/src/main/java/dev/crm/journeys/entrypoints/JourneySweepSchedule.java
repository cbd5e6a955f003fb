package dev.crm.journeys.entrypoints;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.crm.journeys.config.JourneysComponents;
import dev.crm.journeys.domain.DateEntries;
import dev.crm.journeys.domain.JourneyRunner;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.config.Priming;
import dev.crm.shared.log.Log;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every minute: the enrolments whose next step is due (the sparse {@code OPS#JOURNEY#…} partitions of
 * the OpenJobs index), each run to its next wait. A run that dies mid-batch leaves the rest due: the
 * next run takes them, and what the dead one wrote it wrote whole (docs/architecture.md, "Journeys").
 * Before them, the date triggers' due work ({@code OPS#JOURNEYDATE#…}): occurrences, then scans.
 */
public final class JourneySweepSchedule implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    /** Enrolments one run takes at most; the rest wait for the next minute. */
    static final int PER_RUN = 2000;

    private final JourneyRunner runner;
    private final DateEntries dates;

    public JourneySweepSchedule() {
        this(Infrastructure.lambda());
        Priming.register(JourneysComponents::buildSchemas); // its stores build their schemas on first use
    }

    public JourneySweepSchedule(Infrastructure infra) {
        this(new JourneysComponents(infra));
    }

    public JourneySweepSchedule(JourneysComponents components) {
        this.runner = components.runner();
        this.dates = components.dateEntries(runner);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        // Date occurrences first: an enrolment they make runs its first steps at once.
        DateEntries.Run dated = dates.runDue(PER_RUN);
        JourneyRunner.Run run = runner.runDue(PER_RUN);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("occurrences", dated.occurrences());
        out.put("dateEnrolled", dated.enrolled());
        out.put("contactsScanned", dated.scanned());
        out.put("examined", run.examined());
        // the date enrolments' first steps ran at once, in dates.runDue: counted with the due steps
        out.put("steps", run.steps() + dated.steps());
        out.put("sent", run.sent() + dated.sent());
        if (run.examined() > 0 || dated.occurrences() > 0 || dated.scanned() > 0) {
            Log.info("journey sweep", out);
        }
        return out;
    }
}

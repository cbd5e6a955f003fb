package dev.crm.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.devkit.LambdaContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Samples that only succeed after another one ran on the same fixture: the harness runs those first,
 * in-process and untimed. A step may also name the placeholder id its sample stands for (e.g.
 * {@code c_example0000000000000}); the id the step created (the last segment of its Location header)
 * then replaces that placeholder in the measured sample. A new sample that needs more than a fresh
 * tenant with two keys adds a line here; without one it is measured anyway and the report shows its
 * status.
 */
public final class Preparations {
    /** Run {@code sample} first; if {@code placeholder} is set, substitute the id it created for it. */
    public record Step(String sample, String placeholder) {}

    private static final Step DEPROVISION = new Step("tenants/deprovision-tenant.json", null);
    private static final Step CONTACT = new Step("contacts/create-contact.json", "c_example0000000000000");
    private static final Step SEGMENT = new Step("contacts/create-segment.json", "seg_example0000000000000");
    private static final Step IMPORT = new Step("contacts/create-import.json", "imp_example0000000000000");
    private static final Step INTERACTION_IMPORT = new Step("contacts/create-interaction-import.json", "iimp_example0000000000000");
    private static final Step ANONYMIZE = new Step("contacts/anonymize-contact.json", "ano_example0000000000000");
    private static final Step ERASE = new Step("contacts/delete-contact.json", "era_example0000000000000");
    private static final Step CHURN_RUN = new Step("churn-alerts/create-churn-run.json", "run_example0000000000000");
    private static final Step SURVEY = new Step("surveys/create-nps-survey.json", "srv_example0000000000000");
    private static final Step RECOUNT = new Step("surveys/create-recount.json", "rcn_example0000000000000");
    /** The topic the preferences sample opts in to ("newsletter"). */
    private static final Step TOPIC = new Step("preferences/create-topic.json", null);
    /** Email and newsletter opted in, a cap of 3 a week, quiet hours 21:00–08:00 (If-Match "0": a new contact). */
    private static final Step PREFERENCES = new Step("preferences/put-preferences.json", null);

    static final Map<String, List<Step>> BEFORE = Map.ofEntries(
            Map.entry("tenants/get-deprovisioning.json", List.of(DEPROVISION)),
            Map.entry("tenants/deprovision-job-queued.json", List.of(DEPROVISION)),
            Map.entry("contacts/get-contact.json", List.of(CONTACT)),
            Map.entry("contacts/get-contact-360.json", List.of(CONTACT)),
            Map.entry("contacts/get-timeline.json", List.of(CONTACT)),
            Map.entry("contacts/patch-contact.json", List.of(CONTACT)),
            Map.entry("contacts/record-purchase.json", List.of(CONTACT)),
            Map.entry("contacts/get-segment.json", List.of(SEGMENT)),
            Map.entry("contacts/delete-segment.json", List.of(SEGMENT)),
            Map.entry("contacts/list-segment-contacts.json", List.of(CONTACT, SEGMENT)),
            Map.entry("contacts/anonymize-contact.json", List.of(CONTACT)),
            Map.entry("contacts/delete-contact.json", List.of(CONTACT)),
            Map.entry("contacts/export-contact.json", List.of(CONTACT)),
            Map.entry("contacts/get-anonymization.json", List.of(CONTACT, ANONYMIZE)),
            Map.entry("contacts/get-erasure.json", List.of(CONTACT, ERASE)),
            Map.entry("contacts/get-import.json", List.of(IMPORT)),
            Map.entry("contacts/import-job-queued.json", List.of(IMPORT)),
            Map.entry("contacts/get-interaction-import.json", List.of(INTERACTION_IMPORT)),
            Map.entry("contacts/interaction-import-job-queued.json", List.of(INTERACTION_IMPORT)),
            Map.entry("churn-alerts/get-churn-run.json", List.of(CHURN_RUN)),
            Map.entry("churn-alerts/churn-run-queued.json", List.of(CHURN_RUN)),
            // a decision on a contact that has opted in and has a cap: every rule of P5 runs, the cap's query too
            Map.entry("preferences/decide-contact.json", List.of(CONTACT, TOPIC, PREFERENCES)),
            Map.entry("preferences/get-consent-history.json", List.of(CONTACT)),
            Map.entry("preferences/get-links.json", List.of(CONTACT)),
            Map.entry("preferences/get-preferences.json", List.of(CONTACT)),
            Map.entry("preferences/put-preferences.json", List.of(CONTACT, TOPIC)),
            Map.entry("preferences/record-send.json", List.of(CONTACT)),
            Map.entry("surveys/create-recount.json", List.of(SURVEY)),
            Map.entry("surveys/create-respondent-link.json", List.of(CONTACT, SURVEY)),
            Map.entry("surveys/get-public-survey.json", List.of(SURVEY)),
            Map.entry("surveys/get-recount.json", List.of(SURVEY, RECOUNT)),
            Map.entry("surveys/get-survey-results.json", List.of(SURVEY)),
            Map.entry("surveys/get-survey.json", List.of(SURVEY)),
            Map.entry("surveys/patch-survey.json", List.of(SURVEY)),
            Map.entry("surveys/preflight-public-survey.json", List.of(SURVEY)),
            Map.entry("surveys/preflight-survey-responses.json", List.of(SURVEY)),
            Map.entry("surveys/submit-survey-response.json", List.of(SURVEY)),
            Map.entry("surveys/recount-job-queued.json", List.of(SURVEY, RECOUNT)));

    private Preparations() {}

    /**
     * Runs the sample's steps on the fixture (adding the ids they created to its replacements).
     *
     * @return what went wrong, empty when every step succeeded
     */
    public static List<String> run(Project project, InProcess handlers, Project.Sample sample, Fixtures.Fixture fixture) {
        List<String> problems = new ArrayList<>();
        for (Step step : BEFORE.getOrDefault(sample.name(), List.of())) {
            Project.Sample before = project.samples().stream().filter(s -> s.name().equals(step.sample())).findFirst()
                    .orElse(null);
            if (before == null || before.functionId() == null) {
                problems.add("no sample " + step.sample() + " for a function of the template");
                continue;
            }
            if (!handlers.available(before.functionId())) {
                problems.add(step.sample() + ": its handler cannot be loaded (no built artifact)");
                continue;
            }
            Object result;
            try {
                result = handlers.invoke(before.functionId(),
                        handlers.event(before.functionId(), Fixtures.apply(text(before), fixture)), new LambdaContext());
            } catch (RuntimeException e) {
                problems.add(step.sample() + " failed: " + e);
                continue;
            }
            String status = InProcess.status(result);
            if (!InProcess.succeeded(status)) {
                problems.add(step.sample() + " answered " + status);
                continue;
            }
            if (step.placeholder() != null) {
                String location = result instanceof APIGatewayProxyResponseEvent r && r.getHeaders() != null
                        ? r.getHeaders().get("Location") : null;
                if (location == null) {
                    problems.add(step.sample() + " gave no Location header to take the new id from");
                } else {
                    fixture.extra().put(step.placeholder(), location.substring(location.lastIndexOf('/') + 1));
                }
            }
        }
        return problems;
    }

    public static String text(Project.Sample s) {
        try {
            return Files.readString(s.file());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

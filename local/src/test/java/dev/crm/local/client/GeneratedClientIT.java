package dev.crm.local.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.client.ApiClient;
import dev.crm.client.ApiException;
import dev.crm.client.api.ChurnApi;
import dev.crm.client.api.ContactsApi;
import dev.crm.client.api.PreferencesApi;
import dev.crm.client.api.SurveysApi;
import dev.crm.client.api.TenantsApi;
import dev.crm.client.model.Channel;
import dev.crm.client.model.ChannelPreferences;
import dev.crm.client.model.ChurnRun;
import dev.crm.client.model.ConsentStatus;
import dev.crm.client.model.Contact;
import dev.crm.client.model.ContactDecision;
import dev.crm.client.model.ContactDecisionRequest;
import dev.crm.client.model.ContactInput;
import dev.crm.client.model.Money;
import dev.crm.client.model.NewApiKey;
import dev.crm.client.model.NewInteraction;
import dev.crm.client.model.NewTenant;
import dev.crm.client.model.NewTopic;
import dev.crm.client.model.PreferencesInput;
import dev.crm.client.model.StartChurnRunRequest;
import dev.crm.client.model.Survey;
import dev.crm.client.model.SurveyInput;
import dev.crm.client.model.SurveyQuestion;
import dev.crm.client.model.SurveyReceipt;
import dev.crm.client.model.SurveySubmission;
import dev.crm.local.LocalRunner;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's walk-through driven by a Java client that openapi-generator made from docs/openapi.yaml in
 * this build (local/pom.xml): what a customer's generated client sends, the runner accepts, and what
 * the runner answers, the client reads. A spec change that breaks generated clients (a renamed
 * operation, a response that no longer deserialises) breaks this test or its compilation.
 */
class GeneratedClientIT {
    static final String OPERATOR = "crm_op_generatedclient0123456789abcdefgh";
    static LocalRunner runner;

    @BeforeAll
    static void start() throws Exception {
        runner = LocalRunner.start(0, true, null, Map.of("CRM_OPERATOR_KEY", OPERATOR));
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    static ApiClient client(String key) {
        var client = new ApiClient();
        client.updateBaseUri(runner.url());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
        return client;
    }

    @Test
    void theReadmeWalkThroughRunsOnAGeneratedClient() throws Exception {
        String slug = "gen-" + UUID.randomUUID().toString().substring(0, 8);

        // 1. the operator provisions a tenant; the admin key comes back once
        var provisioned = new TenantsApi(client(OPERATOR))
                .provisionTenant(new NewTenant().name("Generated " + slug).slug(slug), "provision-" + slug);
        assertEquals(slug, provisioned.getSlug());
        String admin = provisioned.getApiKey();
        var tenants = new TenantsApi(client(admin));
        assertEquals(slug, tenants.getTenant().getSlug());

        // 2. a read-only key, which the gateway then refuses for a write
        var readKey = tenants.createKey(new NewApiKey().scope(NewApiKey.ScopeEnum.READ).name("dashboard"), null);
        assertTrue(readKey.getApiKey().startsWith("crm_live_"));
        var refused = assertThrows(ApiException.class, () -> new ContactsApi(client(readKey.getApiKey()))
                .createContact(new ContactInput().firstName("Nope"), null));
        assertEquals(403, refused.getCode());
        assertTrue(refused.getResponseBody().contains("https://serverless-crm.dev/problems/forbidden"), refused.getResponseBody());

        // 3. a contact and a purchase
        var contacts = new ContactsApi(client(admin));
        Contact ada = contacts.createContact(new ContactInput().firstName("Ada").lastName("Lovelace")
                .email("ada-" + slug + "@example.com").timeZone("Europe/London"), "ada-" + slug);
        assertNotNull(ada.getId());
        assertEquals(1, ada.getVersion());
        contacts.recordInteraction(ada.getId(), new NewInteraction().id("order-1").type(NewInteraction.TypeEnum.PURCHASE)
                .occurredAt(OffsetDateTime.of(2026, 11, 2, 10, 0, 0, 0, ZoneOffset.UTC)).value(new Money().amount("42.50")), null);

        // 4. a topic, the contact's consent to it (If-Match from the read), and the decision
        var preferences = new PreferencesApi(client(admin));
        preferences.createTopic(new NewTopic().key("offers").name("Offers"), null);
        var current = preferences.getPreferencesWithHttpInfo(ada.getId());
        String etag = current.getHeaders().get("etag").get(0);
        preferences.putPreferences(ada.getId(), etag, new PreferencesInput()
                .putChannelsItem("email", new ChannelPreferences().status(ConsentStatus.OPTED_IN)
                        .putTopicsItem("offers", ConsentStatus.OPTED_IN))
                .legalBasis(PreferencesInput.LegalBasisEnum.CONSENT).source("generated-client"));
        ContactDecision decision = preferences.decideContact(ada.getId(), new ContactDecisionRequest()
                .channel(Channel.EMAIL).topic("offers").messageClass(ContactDecisionRequest.MessageClassEnum.MARKETING));
        assertTrue(decision.getAllowed(), String.valueOf(decision));

        // 5. an NPS survey and a response from its public form
        var surveys = new SurveysApi(client(admin));
        Survey nps = surveys.createSurvey(new SurveyInput().kind(SurveyInput.KindEnum.NPS).title("How likely …?")
                .allowAnonymous(true), null);
        SurveyReceipt receipt = surveys.submitSurveyResponse(nps.getId(),
                new SurveySubmission().answers(Map.of(nps.getQuestions().get(0).getId(), 9)), "answer-" + slug);
        assertEquals(nps.getId(), receipt.getSurveyId());

        // 6. a churn run, followed to its end through the job's own route
        var churn = new ChurnApi(client(admin));
        // an empty request, not null: the generated client sends the JSON literal null for a missing
        // optional body, which every route refuses as "the body must be a JSON object"
        ChurnRun run = churn.startChurnRun("run-" + slug, new StartChurnRunRequest());
        String runId = String.valueOf(run.getId());
        for (int i = 0; i < 300 && !finished(run); i++) {
            Thread.sleep(100);
            run = churn.getChurnRun(runId);
        }
        assertEquals("succeeded", String.valueOf(run.getStatus()), String.valueOf(run));
        assertEquals(1, run.getResult().getScored());

        // a problem answer reaches the client as the documented problem document
        var missing = assertThrows(ApiException.class, () -> contacts.patchContact("c_00000000000000000000", "\"1\"",
                new dev.crm.client.model.ContactPatch()));
        assertEquals(404, missing.getCode());
        assertFalse(missing.getResponseBody().contains("Exception"), missing.getResponseBody());
    }

    static boolean finished(ChurnRun run) {
        String status = String.valueOf(run.getStatus());
        return status.equals("succeeded") || status.equals("failed");
    }
}

package dev.crm.cases;

import static dev.crm.devkit.Responses.body;
import static dev.crm.devkit.Responses.header;
import static dev.crm.devkit.Responses.pointers;
import static dev.crm.devkit.Responses.problem;
import static dev.crm.devkit.Responses.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.crm.cases.config.CasesComponents;
import dev.crm.cases.domain.forecast.ArrivalSimulation;
import dev.crm.cases.domain.forecast.ErlangReference;
import dev.crm.cases.entrypoints.CaseJobsWorker;
import dev.crm.cases.entrypoints.CasesHandler;
import dev.crm.devkit.ApiEvents;
import dev.crm.devkit.LambdaContext;
import dev.crm.devkit.MutableClock;
import dev.crm.devkit.SampleEvents;
import dev.crm.devkit.TestInfrastructure;
import dev.crm.shared.config.Infrastructure;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.jobs.JobRef;
import dev.crm.shared.json.Json;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * History import, service measures and the forecast through the real handler and job worker against
 * DynamoDB Local. The expected figures are recomputed here from the generated scripts, by walking
 * minutes, not with the product's SLA clock.
 */
class CaseMeasuresIT {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final LocalDate HOLIDAY = LocalDate.of(2026, 11, 18);
    static final List<String> CATEGORIES = List.of("billing", "returns", "technical");
    static final Map<String, Long> RESOLUTION_TARGET = Map.of("urgent", 8 * 60L, "high", 24 * 60L, "normal", 24 * 60L,
            "low", 40 * 60L);

    private final MutableClock clock = MutableClock.at("2027-01-15T09:00:00Z");
    private final Infrastructure infra = TestInfrastructure.create(clock);
    private final CasesHandler handler = new CasesHandler(infra);
    private final CaseJobsWorker worker = new CaseJobsWorker(infra);
    private final TenantId tenant = TestInfrastructure.tenant(infra).id();
    private final TenantId other = TestInfrastructure.tenant(infra).id();

    private APIGatewayProxyResponseEvent call(ApiEvents e) {
        return handler.handleRequest(e.build(), new LambdaContext());
    }

    private String contact(TenantId t) {
        String id = Ids.random("ct_", 20);
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = new HashMap<>(
                Table.key(Keys.contact(t, id), Keys.CONTACT_PROFILE));
        item.put("status", Attr.s("active"));
        infra.table().client().putItem(PutItemRequest.builder().tableName(infra.table().name()).item(item).build());
        return id;
    }

    private void configure(TenantId t) {
        var current = infra.tenants().find(t);
        var settings = current.settings().merge(dev.crm.shared.json.JsonObject.of(Json.parse("""
                {"caseCategories": [{"key": "billing", "name": "Billing"}, {"key": "returns", "name": "Returns"},
                  {"key": "technical", "name": "Technical"}],
                 "businessCalendar": {"timeZone": "Europe/Berlin", "weeklyHours": {
                   "monday": [{"start": "09:00", "end": "17:00"}], "tuesday": [{"start": "09:00", "end": "17:00"}],
                   "wednesday": [{"start": "09:00", "end": "17:00"}], "thursday": [{"start": "09:00", "end": "17:00"}],
                   "friday": [{"start": "09:00", "end": "17:00"}], "saturday": [], "sunday": []},
                   "holidays": ["2026-11-18"]}}"""), new dev.crm.shared.json.Violations()));
        infra.tenants().updateSettings(t, current.version(), settings, clock.instant());
    }

    /** Posts the file and runs the job the table stream would start; returns the job as the API shows it. */
    private Map<String, Object> importFile(TenantId t, String ndjson) {
        var r = call(ApiEvents.request("POST", "/v1/cases/imports").as(t, Scope.WRITE).body("application/x-ndjson", ndjson));
        status(r, 202);
        String location = header(r, "Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        worker.handleRequest(SampleEvents.jobQueued(Keys.job(t, id)), new LambdaContext(() -> 900_000));
        var job = call(ApiEvents.request("GET", "/v1/cases/imports/{id}").path("id", id).as(t, Scope.READ));
        status(job, 200);
        return body(job);
    }

    // ---- scripted histories, and the figures recomputed from the script ----

    /** What a generated case did: the line to import and, per minute, what the test needs to recompute. */
    record Script(String category, String priority, Instant created, Instant firstResponse,
            List<Instant[]> paused /* [from, to) pending/on_hold or solved-before-reopen */, List<Instant> solves,
            List<Instant> reopens, List<Instant> publicAgentMessages, Instant closed, String line) {}

    private static Instant minute(Instant t) {
        return Instant.ofEpochSecond(t.getEpochSecond() / 60 * 60);
    }

    static boolean business(Instant minuteStart) {
        ZonedDateTime z = minuteStart.atZone(BERLIN);
        LocalTime lt = z.toLocalTime();
        return z.getDayOfWeek() != DayOfWeek.SATURDAY && z.getDayOfWeek() != DayOfWeek.SUNDAY
                && !z.toLocalDate().equals(HOLIDAY) && !lt.isBefore(LocalTime.of(9, 0)) && lt.isBefore(LocalTime.of(17, 0));
    }

    static boolean inside(Instant m, List<Instant[]> stretches) {
        for (Instant[] s : stretches) {
            if (!m.isBefore(s[0]) && m.isBefore(s[1])) {
                return true;
            }
        }
        return false;
    }

    /** Minutes [business, calendar] from {@code start} to {@code stop} outside {@code paused}, and the breach. */
    static long[] walk(Instant start, Instant stop, List<Instant[]> paused, long targetBusiness) {
        long business = 0;
        long calendar = 0;
        Instant due = null;
        for (Instant m = start; m.isBefore(stop); m = m.plusSeconds(60)) {
            if (inside(m, paused)) {
                continue;
            }
            calendar++;
            if (business(m)) {
                business++;
                if (business == targetBusiness && due == null) {
                    due = m.plusSeconds(60);
                }
            }
        }
        return new long[] {business, calendar, due != null && stop.isAfter(due) ? 1 : 0};
    }

    private Script script(int i, Random random, String contactId) {
        String category = CATEGORIES.get(random.nextInt(3));
        String priority = List.of("urgent", "high", "normal", "low").get(random.nextInt(4));
        String channel = List.of("phone", "email", "web", "chat").get(random.nextInt(4));
        Instant base = ZonedDateTime.of(2026, 10, 5, 0, 0, 0, 0, BERLIN).toInstant();
        Instant created = minute(base.plusSeconds(random.nextInt(54 * 24 * 60) * 60L));
        Instant t = created;
        List<Map<String, Object>> messages = new ArrayList<>();
        List<Map<String, Object>> changes = new ArrayList<>();
        List<Instant[]> paused = new ArrayList<>();
        List<Instant> solves = new ArrayList<>();
        List<Instant> reopens = new ArrayList<>();
        List<Instant> agentPublic = new ArrayList<>();
        Instant firstResponse = null;
        Instant closed = null;
        if (random.nextInt(4) == 0) {
            t = t.plusSeconds(60L * (1 + random.nextInt(120)));
            messages.add(message("agent", "internal", t));
        }
        if (random.nextInt(10) > 0) {
            t = t.plusSeconds(60L * (1 + random.nextInt(2000)));
            messages.add(message("agent", "public", t));
            agentPublic.add(t);
            firstResponse = t;
        }
        if (random.nextInt(3) == 0) {
            t = t.plusSeconds(60L * (1 + random.nextInt(600)));
            String waiting = random.nextBoolean() ? "pending" : "on_hold";
            changes.add(change(waiting, t));
            Instant from = t;
            t = t.plusSeconds(60L * (1 + random.nextInt(3000)));
            if (waiting.equals("pending")) {
                messages.add(message("customer", "public", t)); // reopens it
            } else {
                changes.add(change("open", t));
            }
            paused.add(new Instant[] {from, t});
            if (random.nextBoolean()) {
                t = t.plusSeconds(60L * (1 + random.nextInt(300)));
                messages.add(message("agent", "public", t));
                agentPublic.add(t);
            }
        }
        if (random.nextInt(8) > 0) {
            t = t.plusSeconds(60L * (1 + random.nextInt(4000)));
            changes.add(change("solved", t));
            solves.add(t);
            if (random.nextInt(5) == 0) {
                Instant solvedAt = t;
                t = t.plusSeconds(60L * (1 + random.nextInt(2000)));
                messages.add(message("customer", "public", t)); // reopens the solved case
                reopens.add(t);
                paused.add(new Instant[] {solvedAt, t});
                t = t.plusSeconds(60L * (1 + random.nextInt(1000)));
                messages.add(message("agent", "public", t));
                agentPublic.add(t);
                t = t.plusSeconds(60L * (1 + random.nextInt(600)));
                changes.add(change("solved", t));
                solves.add(t);
            }
            if (random.nextBoolean()) {
                t = t.plusSeconds(60L * 60 * 24 * 7);
                changes.add(change("closed", t));
                closed = t;
            }
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("contactId", contactId);
        line.put("channel", channel);
        line.put("category", category);
        line.put("priority", priority);
        line.put("subject", "Case " + i);
        line.put("createdAt", created.toString());
        line.put("messages", messages);
        line.put("statusChanges", changes);
        // all events must be in the past at import time (the clock is 2027-01-15)
        assertTrue(t.isBefore(clock.instant()), "generator ran past now");
        // the first public agent message is the first response, wherever it came in the script
        firstResponse = agentPublic.isEmpty() ? null : agentPublic.get(0);
        return new Script(category, priority, created, firstResponse, paused, solves, reopens, agentPublic, closed,
                Json.write(line));
    }

    private static Map<String, Object> message(String author, String visibility, Instant at) {
        return Map.of("author", author, "visibility", visibility, "body", author + " says something", "at", at.toString());
    }

    private static Map<String, Object> change(String status, Instant at) {
        return Map.of("status", status, "at", at.toString());
    }

    static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).sum() / v.size();
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static double p90(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get((int) Math.ceil(0.9 * s.size()) - 1);
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private static void assertSummary(List<Double> expected, Object actual, String what) {
        Map<String, Object> a = (Map<String, Object>) actual;
        if (expected.isEmpty()) {
            assertNull(a.get("mean"), what);
            return;
        }
        assertEquals(mean(expected), num(a.get("mean")), 0.0051, what + " mean");
        assertEquals(median(expected), num(a.get("median")), 0.0051, what + " median");
        assertEquals(p90(expected), num(a.get("p90")), 0.0051, what + " p90");
    }

    @Test
    @SuppressWarnings("unchecked")
    void measuresOfAnImportedHistoryEqualARecomputationPerGroup() {
        configure(tenant);
        Random random = new Random(16);
        String contact = contact(tenant);
        // a live case first: imported cases take the numbers after it, from the same counter
        status(call(ApiEvents.request("POST", "/v1/cases").as(tenant, Scope.WRITE).json("{\"contactId\": \"" + contact
                + "\", \"channel\": \"email\", \"category\": \"billing\", \"priority\": \"low\", \"subject\": \"Live\"}")), 201);
        List<Script> scripts = new ArrayList<>();
        StringBuilder file = new StringBuilder();
        int lines = 0;
        for (int i = 0; i < 240; i++) {
            Script s = script(i, random, contact);
            scripts.add(s);
            file.append(s.line()).append('\n');
            lines++;
            if (i == 50) {
                // solved -> pending breaks the workflow: rejected with its line number, no number used
                file.append("{\"contactId\": \"").append(contact).append("\", \"channel\": \"web\", \"category\": \"billing\","
                        + " \"priority\": \"low\", \"subject\": \"Bad\", \"createdAt\": \"2026-10-10T10:00:00Z\","
                        + " \"statusChanges\": [{\"status\": \"solved\", \"at\": \"2026-10-10T11:00:00Z\"},"
                        + " {\"status\": \"pending\", \"at\": \"2026-10-10T12:00:00Z\"}]}\n");
                lines++;
            }
            if (i == 100) {
                file.append("{\"contactId\": \"").append(contact).append("\", \"category\": \"nope\"}\n");
                lines++;
            }
        }
        Map<String, Object> job = importFile(tenant, file.toString());
        assertEquals("succeeded", job.get("status"), job.toString());
        Map<String, Object> result = (Map<String, Object>) job.get("result");
        assertEquals(240, num(result.get("imported")));
        List<Map<String, Object>> rejected = (List<Map<String, Object>>) result.get("rejected");
        assertEquals(List.of(52, 103), rejected.stream().map(r -> (int) num(r.get("line"))).toList());
        assertEquals("/statusChanges/1/status",
                ((List<Map<String, Object>>) rejected.get(0).get("errors")).get(0).get("pointer"));
        assertEquals(lines, num(job.get("total")));

        // numbers: the live case 1, the imported ones 2..241 with no gap for the rejected lines
        List<Integer> numbers = new ArrayList<>();
        String cursor = null;
        do {
            var page = ApiEvents.request("GET", "/v1/cases").as(tenant, Scope.READ).query("limit", "100");
            if (cursor != null) {
                page.query("cursor", cursor);
            }
            Map<String, Object> b = body(call(page));
            for (Object o : (List<Object>) b.get("items")) {
                numbers.add(Integer.parseInt(((String) ((Map<String, Object>) o).get("number")).substring(3)));
            }
            cursor = (String) b.get("nextCursor");
        } while (cursor != null);
        Collections.sort(numbers);
        List<Integer> expectedNumbers = new ArrayList<>();
        for (int n = 1; n <= 241; n++) {
            expectedNumbers.add(n);
        }
        assertEquals(expectedNumbers, numbers);

        // the figures, recomputed from the scripts
        Instant from = Instant.parse("2026-10-01T00:00:00Z");
        Instant to = Instant.parse("2026-11-20T00:00:00Z");
        Map<String, Object> metrics = body(call(ApiEvents.request("GET", "/v1/cases/metrics").as(tenant, Scope.READ)
                .query("from", from.toString()).query("to", to.toString()).query("groupBy", "category")));
        List<Map<String, Object>> groups = (List<Map<String, Object>>) metrics.get("groups");
        Map<String, List<Script>> byCategory = new TreeMap<>();
        for (Script s : scripts) {
            if (!s.created().isBefore(from) && s.created().isBefore(to)) {
                byCategory.computeIfAbsent(s.category(), k -> new ArrayList<>()).add(s);
            }
        }
        // the live case was created "now" (2027-01-15), outside the range
        assertEquals(new ArrayList<>(byCategory.keySet()), groups.stream().map(g -> g.get("group")).toList());
        for (Map<String, Object> g : groups) {
            List<Script> members = byCategory.get((String) g.get("group"));
            List<Double> frBusiness = new ArrayList<>();
            List<Double> frCalendar = new ArrayList<>();
            List<Double> resBusiness = new ArrayList<>();
            List<Double> resCalendar = new ArrayList<>();
            int solved = 0;
            int met = 0;
            int everSolved = 0;
            int reopened = 0;
            int firstContact = 0;
            for (Script s : members) {
                if (s.firstResponse() != null && s.firstResponse().isBefore(to)) {
                    long[] w = walk(s.created(), s.firstResponse(), List.of(), Long.MAX_VALUE);
                    frBusiness.add((double) w[0]);
                    frCalendar.add((double) w[1]);
                }
                List<Instant> solvesBefore = s.solves().stream().filter(x -> x.isBefore(to)).toList();
                List<Instant> reopensBefore = s.reopens().stream().filter(x -> x.isBefore(to)).toList();
                if (!solvesBefore.isEmpty()) {
                    everSolved++;
                    if (!reopensBefore.isEmpty()) {
                        reopened++;
                    }
                }
                boolean solvedAtTo = solvesBefore.size() > reopensBefore.size();
                if (solvedAtTo) {
                    solved++;
                    Instant lastSolve = solvesBefore.get(solvesBefore.size() - 1);
                    List<Instant[]> pauses = s.paused().stream().filter(p -> p[1].isBefore(lastSolve) || p[1].equals(lastSolve)).toList();
                    long[] w = walk(s.created(), lastSolve, pauses, RESOLUTION_TARGET.get(s.priority()));
                    resBusiness.add((double) w[0]);
                    resCalendar.add((double) w[1]);
                    met += w[2] == 0 ? 1 : 0;
                    long agentMessages = s.publicAgentMessages().stream().filter(m -> m.isBefore(lastSolve)).count();
                    firstContact += agentMessages == 1 ? 1 : 0;
                }
            }
            String what = "group " + g.get("group");
            assertEquals(members.size(), num(g.get("created")), what);
            assertEquals(solved, num(g.get("solved")), what);
            assertEquals(members.size() - solved, num(g.get("backlog")), what);
            Map<String, Object> fr = (Map<String, Object>) g.get("firstResponse");
            assertSummary(frBusiness, fr.get("business"), what + " first response business");
            assertSummary(frCalendar, fr.get("calendar"), what + " first response calendar");
            Map<String, Object> res = (Map<String, Object>) g.get("resolution");
            assertSummary(resBusiness, res.get("business"), what + " resolution business");
            assertSummary(resCalendar, res.get("calendar"), what + " resolution calendar");
            assertEquals((double) met / solved, num(g.get("slaAttainment")), 0.00006, what + " SLA attainment");
            assertEquals((double) reopened / everSolved, num(g.get("reopenRate")), 0.00006, what + " reopen rate");
            assertEquals((double) firstContact / solved, num(g.get("firstContactResolution")), 0.00006, what + " FCR");
        }

        // another tenant sees none of it
        Map<String, Object> others = body(call(ApiEvents.request("GET", "/v1/cases/metrics").as(other, Scope.READ)
                .query("from", from.toString()).query("to", to.toString())));
        assertEquals(List.of(), others.get("groups"));
        var notFound = call(ApiEvents.request("GET", "/v1/cases/imports/{id}")
                .path("id", ((String) job.get("id"))).as(other, Scope.READ));
        problem(notFound, 404, "not-found");

        // a replayed step (a crash before its checkpoint) imports nothing twice
        Job stored = infra.jobs().find(JobRef.of(tenant, (String) job.get("id")));
        CasesComponents components = new CasesComponents(infra);
        Job again = new Job(stored.ref(), stored.id(), stored.kind(), stored.tenantId(), Job.Status.RUNNING, 0, stored.total(),
                Map.of("chunks", List.of(lines)), Map.of(), null, Map.of(), "replay", 0, 0, stored.createdAt(), stored.updatedAt());
        var step = components.imports().step(tenant, again);
        assertEquals(100, step.done());
        Map<String, Object> after = body(call(ApiEvents.request("GET", "/v1/cases").as(tenant, Scope.READ).query("limit", "1")));
        assertEquals("CS-000241", ((Map<String, Object>) ((List<Object>) after.get("items")).get(0)).get("number"));
    }

    @Test
    void theMeasuresRouteRefusesBadParameters() {
        var r = call(ApiEvents.request("GET", "/v1/cases/metrics").as(tenant, Scope.READ).query("from", "yesterday")
                .query("groupBy", "colour").query("extra", "1"));
        problem(r, 400, "validation-error");
        var to = call(ApiEvents.request("GET", "/v1/cases/metrics").as(tenant, Scope.READ)
                .query("from", "2026-11-01T00:00:00Z").query("to", "2026-10-01T00:00:00Z"));
        problem(to, 400, "validation-error");
        var staffing = call(ApiEvents.request("GET", "/v1/cases/forecast").as(tenant, Scope.READ)
                .query("serviceLevel", "0.8").query("weeks", "9"));
        problem(staffing, 400, "validation-error");
        var badFile = call(ApiEvents.request("POST", "/v1/cases/imports").as(tenant, Scope.WRITE)
                .body("application/x-ndjson", "\n\n"));
        problem(badFile, 400, "validation-error");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theForecastOfTwelveImportedWeeksWithTheLastTwoHeldOutBeatsSeasonalNaive() {
        configure(tenant);
        Instant start = ZonedDateTime.of(2026, 8, 31, 0, 0, 0, 0, BERLIN).toInstant();
        ArrivalSimulation sim = new ArrivalSimulation(BERLIN, start, java.util.Set.of(HOLIDAY, LocalDate.of(2026, 10, 14)),
                2.0, 0.03);
        List<Instant> all = sim.arrivals(12, 2026);
        Instant from = start.atZone(BERLIN).plusWeeks(10).toInstant();
        String contact = contact(tenant);
        StringBuilder file = new StringBuilder();
        int phone = 0;
        Random random = new Random(5);
        for (Instant a : all) {
            if (a.isBefore(from)) {
                boolean isPhone = random.nextBoolean();
                phone += isPhone ? 1 : 0;
                file.append("{\"contactId\": \"").append(contact).append("\", \"channel\": \"")
                        .append(isPhone ? "phone" : "email").append("\", \"category\": \"billing\", \"priority\": \"normal\","
                                + " \"subject\": \"s\", \"createdAt\": \"").append(a).append("\"}\n");
            }
        }
        Map<String, Object> job = importFile(tenant, file.toString());
        assertEquals("succeeded", job.get("status"));

        var r = call(ApiEvents.request("GET", "/v1/cases/forecast").as(tenant, Scope.READ).query("from", from.toString())
                .query("weeks", "2").query("interval", "hour").query("serviceLevel", "0.8")
                .query("answerWithinSeconds", "20").query("handleTimeSeconds", "300"));
        status(r, 200);
        Map<String, Object> b = body(r);
        List<Map<String, Object>> intervals = (List<Map<String, Object>>) b.get("intervals");
        assertEquals(336, intervals.size());
        double[] expected = new double[intervals.size()];
        double[] actual = new double[intervals.size()];
        for (int i = 0; i < intervals.size(); i++) {
            Map<String, Object> p = intervals.get(i);
            Instant s = Instant.parse((String) p.get("start"));
            Instant e = Instant.parse((String) p.get("end"));
            expected[i] = num(p.get("expected"));
            actual[i] = all.stream().filter(a -> !a.isBefore(s) && a.isBefore(e)).count();
            assertTrue(num(p.get("lower")) <= expected[i] && expected[i] <= num(p.get("upper")), p.toString());
            assertEquals(ErlangReference.agents(expected[i], Duration.between(s, e).getSeconds(), 0.8, 20, 300, 0.85),
                    num(p.get("agentsNeeded")), p.toString());
            if (s.atZone(BERLIN).toLocalDate().equals(HOLIDAY)) {
                assertEquals(0.0, expected[i], "a holiday is closed");
            }
        }
        // MASE on the held-out weeks, scaled by the in-sample lag-168 naive error of the imported weeks
        double[] past = new double[10 * 168];
        for (Instant a : all) {
            if (a.isBefore(from)) {
                past[(int) Duration.between(start, a).toHours()]++;
            }
        }
        double scale = 0;
        for (int i = 168; i < past.length; i++) {
            scale += Math.abs(past[i] - past[i - 168]);
        }
        scale /= past.length - 168;
        double model = 0;
        double naive = 0;
        for (int i = 0; i < actual.length; i++) {
            model += Math.abs(actual[i] - expected[i]);
            naive += Math.abs(actual[i] - past[past.length - 168 + i % 168]);
        }
        double mase = model / actual.length / scale;
        double naiveMase = naive / actual.length / scale;
        assertTrue(mase < naiveMase, "MASE " + mase + " vs seasonal-naive " + naiveMase);
        Map<String, Object> backtest = (Map<String, Object>) b.get("backtest");
        assertNotNull(backtest);
        assertTrue(num(backtest.get("mase")) < num(backtest.get("naiveMase")), backtest.toString());

        // one channel: only its history counts
        Map<String, Object> phones = body(call(ApiEvents.request("GET", "/v1/cases/forecast").as(tenant, Scope.READ)
                .query("from", from.toString()).query("interval", "day").query("channel", "phone")));
        assertEquals(phone, num(phones.get("historyCases")));
        assertEquals(7, ((List<Object>) phones.get("intervals")).size());
        // another tenant has no history: nothing expected
        Map<String, Object> none = body(call(ApiEvents.request("GET", "/v1/cases/forecast").as(other, Scope.READ)
                .query("from", from.toString()).query("interval", "day")));
        assertEquals(0.0, num(none.get("historyCases")));
        assertNull(none.get("backtest"));
    }
}
